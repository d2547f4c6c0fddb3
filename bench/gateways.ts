import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { oauth1Signer } from './oauth1';
import { startGatewayCli, type Server } from './processes';
import { seedAccounts, type BenchCredentials } from './seed';
import { freePort } from './services';

// One gateway under test: its own data directory, database and config file, seeded accounts,
// started with the CLI like in production, and the credentials its load needs, obtained over HTTP.

export interface GatewayOptions {
  name: string;
  /** Where its data directory and config file go. */
  workDir: string;
  upstreamUrl: string;
  redisUrl: string | null;
  /** null: SQLite in the data directory. */
  databaseUrl: string | null;
  /** More than one: `serve --workers N`. */
  workers: number;
  logLevel: string;
  nodeFlags: string[];
  /** Also get an OAuth 1.0a access token (xAuth). */
  oauth1: boolean;
  /** More routes (after /public) and external issuers, for the issuer targets. */
  routes?: Array<Record<string, unknown>>;
  issuers?: Array<Record<string, unknown>>;
  /** Another checkout (built) whose gateway to start: bench/cpu.ts compares two builds. Default: this one. */
  root?: string;
}

export interface Credentials {
  /** HTTP Basic of the client_credentials client. */
  basic: string;
  bearer: string;
  oauth1?: { consumer: { key: string; secret: string }; token: { key: string; secret: string } };
}

export interface Gateway extends Server {
  credentials: Credentials;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<Record<string, string>> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${new URL(url).pathname} answered ${res.status}: ${text.slice(0, 200)}`);
  return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
}

async function credentials(url: string, seeded: BenchCredentials, oauth1: boolean): Promise<Credentials> {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const basic = 'Basic ' + Buffer.from(`${seeded.client.id}:${seeded.client.secret}`).toString('base64');
  const bearer = (await post(`${url}/oauth2/token`, { ...form, authorization: basic }, 'grant_type=client_credentials')).access_token;
  if (!oauth1) return { basic, bearer };
  const xauth = { x_auth_username: seeded.user.username, x_auth_password: seeded.user.password, x_auth_mode: 'client_auth' };
  const xauthUrl = `${url}/oauth/xauth_access_token`;
  const authorization = oauth1Signer({ consumer: seeded.consumer })('POST', xauthUrl, xauth);
  const access = await post(xauthUrl, { ...form, authorization }, new URLSearchParams(xauth).toString());
  return { basic, bearer, oauth1: { consumer: seeded.consumer, token: { key: access.oauth_token, secret: access.oauth_token_secret } } };
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const dataDir = path.join(options.workDir, options.name);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secretKey = randomBytes(32);
  const seeded = await seedAccounts({ dataDir, databaseUrl: options.databaseUrl }, secretKey);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = {
    server: { host: '127.0.0.1', port, publicUrl: url },
    dataDir,
    database: { url: options.databaseUrl },
    secretKey: secretKey.toString('hex'),
    demo: false,
    redis: { url: options.redisUrl },
    log: { level: options.logLevel, api: 'standard' },
    // GATEWAY_UPSTREAM style: the default /api route accepts OAuth 1.0a and OAuth 2.0.
    upstream: options.upstreamUrl,
    routes: [{ prefix: '/public', upstream: options.upstreamUrl, accept: ['public'] }, ...(options.routes ?? [])],
    issuers: options.issuers ?? [],
  };
  const configFile = path.join(options.workDir, `${options.name}.json`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  const args = options.workers > 1 ? ['--workers', String(options.workers)] : [];
  const server = await startGatewayCli(`gateway ${options.name}`, { configFile, url, args, nodeFlags: options.nodeFlags, root: options.root });
  try {
    return { ...server, credentials: await credentials(url, seeded, options.oauth1) };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
