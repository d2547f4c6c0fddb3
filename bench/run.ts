import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/paths';
import type { RequestSpec } from 'autocannon';
import { measureAll, type LoadSettings, type Row, type Target } from './load';
import { oauth1Signer, presignedHeaders } from './oauth1';
import { memoryMB, startChild, type Child } from './processes';
import { ratios, table, writeJson } from './report';
import { seedAccounts, type BenchCredentials } from './seed';

// `npm run bench`: a stub upstream, a bare baseline proxy and the gateway (production mode, each in
// its own process), then autocannon against each target in interleaved rounds. Prints one table and
// writes the same figures to bench/results/latest.json. Settings from the environment:
// BENCH_DURATION (s per target and round, 10), BENCH_ROUNDS (3), BENCH_WARMUP (s, 2),
// BENCH_CONNECTIONS (50), BENCH_REDIS_URL (redis://127.0.0.1:6379), BENCH_LOG_LEVEL (info),
// BENCH_GATEWAY_FLAGS (node flags for the gateway process; default the production recommendation
// from the README, --max-old-space-size=160, which keeps the garbage collector from holding dead memory),
// BENCH_TARGETS (a comma-separated subset of upstream, baseline, public, bearer, oauth1, token; all by default).

const settings: LoadSettings = {
  durationSeconds: Number(process.env.BENCH_DURATION ?? 10),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? 2),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
};
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
// Node flags for the gateway process only (the baseline and the upstream run with node's defaults).
const gatewayFlags = (process.env.BENCH_GATEWAY_FLAGS ?? '--max-old-space-size=160').split(' ').filter(Boolean);
const TARGET_NAMES = ['upstream', 'baseline', 'public', 'bearer', 'oauth1', 'token'];
const selected = (process.env.BENCH_TARGETS ?? TARGET_NAMES.join(',')).split(',').map((name) => name.trim()).filter(Boolean);
const unknownTargets = selected.filter((name) => !TARGET_NAMES.includes(name));
if (unknownTargets.length > 0) {
  process.stderr.write(`bench: unknown BENCH_TARGETS ${unknownTargets.join(', ')} (known: ${TARGET_NAMES.join(', ')})\n`);
  process.exit(2);
}

/** True when a Redis answers PING at the URL within half a second. */
function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<Record<string, string>> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
}

/** A bearer token (client_credentials) and an OAuth 1.0a access token (xAuth), obtained over HTTP like any client. */
async function credentials(gatewayUrl: string, seeded: BenchCredentials) {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const basic = 'Basic ' + Buffer.from(`${seeded.client.id}:${seeded.client.secret}`).toString('base64');
  const bearer = (await post(`${gatewayUrl}/oauth2/token`, { ...form, authorization: basic }, 'grant_type=client_credentials')).access_token;
  const xauth = { x_auth_username: seeded.user.username, x_auth_password: seeded.user.password, x_auth_mode: 'client_auth' };
  const xauthUrl = `${gatewayUrl}/oauth/xauth_access_token`;
  const authorization = oauth1Signer({ consumer: seeded.consumer })('POST', xauthUrl, xauth);
  const access = await post(xauthUrl, { ...form, authorization }, new URLSearchParams(xauth).toString());
  return { basic, bearer, oauth1Token: { key: access.oauth_token, secret: access.oauth_token_secret } };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-bench-'));
  const children: Child[] = [];
  try {
    const secretKey = randomBytes(32);
    const redis = (await redisAnswers(redisUrl)) ? redisUrl : null;
    const seeded = await seedAccounts(dataDir, secretKey);
    const upstream = await startChild('stub upstream', 'stub-upstream.js');
    children.push(upstream);
    const baseline = await startChild('baseline proxy', 'baseline-proxy.js', [upstream.url]);
    children.push(baseline);
    const port = await freePort();
    const gatewayConfig = {
      server: { host: '127.0.0.1', port, publicUrl: `http://127.0.0.1:${port}` },
      dataDir,
      secretKey: secretKey.toString('hex'),
      demo: false,
      redis: { url: redis },
      log: { level: logLevel, api: 'standard' },
      // GATEWAY_UPSTREAM style: the default /api route accepts OAuth 1.0a and OAuth 2.0.
      upstream: upstream.url,
      routes: [{ prefix: '/public', upstream: upstream.url, accept: ['public'] }],
    };
    const gateway = await startChild('gateway', 'gateway-child.js', [JSON.stringify(gatewayConfig)], gatewayFlags);
    children.push(gateway);
    const pid = gateway.process.pid as number;
    const creds = await credentials(gateway.url, seeded);
    const sign = oauth1Signer({ consumer: seeded.consumer, token: creds.oauth1Token });
    const signedUrl = `${gateway.url}/api/items`;
    const signed = presignedHeaders(() => sign('GET', signedUrl));

    const targets: Target[] = [
      { name: 'upstream', label: 'upstream directly', url: upstream.url, pid: upstream.process.pid as number, request: { method: 'GET', path: '/items' } },
      { name: 'baseline', label: 'baseline proxy (node:http + undici)', url: baseline.url, pid: baseline.process.pid as number, request: { method: 'GET', path: '/items' } },
      { name: 'public', label: 'gateway public route', url: gateway.url, pid, request: { method: 'GET', path: '/public/items' } },
      { name: 'bearer', label: 'gateway bearer route', url: gateway.url, pid, request: { method: 'GET', path: '/api/items', headers: { authorization: `Bearer ${creds.bearer}` } } },
      {
        name: 'oauth1',
        label: `gateway OAuth1 HMAC-SHA1 route (${redis ? 'Redis' : 'memory'} nonce)`,
        url: gateway.url,
        pid,
        request: { method: 'GET', path: '/api/items', setupRequest: (req: RequestSpec) => ({ ...req, headers: { ...(req.headers ?? {}), authorization: signed.next() } }) },
        // 15,000 a second is well above the gateway's OAuth1 rate here, so the stock lasts the run; runs
        // too long for the timestamp window (300 s) sign on the spot instead.
        prepare: (seconds) => signed.fill(seconds <= 240 ? seconds * 15_000 : 0),
      },
      {
        name: 'token',
        label: 'gateway token endpoint (client_credentials)',
        url: gateway.url,
        pid,
        request: { method: 'POST', path: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: creds.basic }, body: 'grant_type=client_credentials' },
      },
    ];

    const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
    // The token endpoint goes last, on its own: it writes a row per request and its client
    // authentication has a memory profile of its own, neither of which should colour the proxy rows.
    const chosen = (list: Target[]) => list.filter((t) => selected.includes(t.name));
    const proxied = await measureAll(chosen(targets.slice(0, -1)), settings, progress);
    const token = await measureAll(chosen(targets.slice(-1)), settings, progress);
    const rows: Row[] = [...proxied, ...token];
    const gatewayPeak = memoryMB(pid, 'VmHWM');
    const gatewayPeakRssMB = gatewayPeak === null ? null : Math.round(gatewayPeak * 10) / 10;
    const checks = ratios(rows, gatewayPeakRssMB);
    const environment = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, cache: redis ? 'redis' : 'memory', database: 'sqlite', logLevel, gatewayFlags };
    process.stdout.write(table(rows, checks) + '\n');
    const file = path.join(projectRoot, 'bench', 'results', 'latest.json');
    writeJson(file, { date: new Date().toISOString(), settings, environment, rows, gatewayPeakRssMB, ratios: checks });
    process.stderr.write(`bench: wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await Promise.allSettled(children.reverse().map((c) => c.stop()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
