import { startGateway, type Gateway, type GatewayOptions } from './gateways';
import type { Target, Unavailable } from './measure';
import { requestAuthorizer } from './oauth1';
import { startBenchServer, type Server } from './processes';
import { privateDatabase, type PrivateDatabase } from './services';
import { BENCH_AUDIENCE, BENCH_GATEWAY_CLIENT } from './issuer-client';
import type { Settings, TargetName } from './settings';

// Starts every server the chosen targets need, each in its own process, and describes the targets.
// A server that will not start makes its targets "unavailable: <why>"; the others go on.

export interface Setup {
  settings: Settings;
  workDir: string;
  /** null: no Redis answered (nonces in memory, and no workers). */
  redisUrl: string | null;
  /** Everything started, stopped by the caller in reverse order. */
  servers: Server[];
  /** The private PostgreSQL database, dropped by the caller. */
  databases: PrivateDatabase[];
}

const PATH = '/posts';
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

const message = (err: unknown) => (err as Error).message.split('\n')[0];

export async function setUpTargets(setup: Setup): Promise<Array<Target | Unavailable>> {
  const { settings, redisUrl } = setup;
  const wanted = (...names: TargetName[]) => names.some((n) => settings.targets.includes(n));
  const targets: Array<Target | Unavailable> = [];
  const add = (target: Target | Unavailable) => {
    if (settings.targets.includes(target.name)) targets.push(target);
  };
  const started = <T extends Server>(server: T): T => {
    setup.servers.push(server);
    return server;
  };

  const upstream = started(await startBenchServer('stub upstream', 'stub-upstream.js', []));
  add({ name: 'upstream', label: 'upstream directly (3 posts as JSON)', url: upstream.url, pid: upstream.pid, request: { method: 'GET', path: PATH, headers: {} } });
  for (const [name, label, entry] of [
    ['baseline', 'lean baseline (node:http + undici Pool.stream)', 'lean-baseline.js'],
    ['koa', 'Koa floor (one middleware, Pool.stream)', 'koa-floor.js'],
  ] as const) {
    if (!wanted(name)) continue;
    try {
      const server = started(await startBenchServer(label, entry, [upstream.url]));
      add({ name, label, url: server.url, pid: server.pid, request: { method: 'GET', path: PATH, headers: {} } });
    } catch (err) {
      add({ name, label, unavailable: message(err) });
    }
  }

  const gateway = async (options: Pick<GatewayOptions, 'name' | 'databaseUrl' | 'workers' | 'oauth1' | 'routes' | 'issuers'>): Promise<Gateway | string> => {
    try {
      const { workDir, settings: s } = setup;
      return started(await startGateway({ ...options, workDir, upstreamUrl: upstream.url, redisUrl, logLevel: s.logLevel, nodeFlags: s.gatewayFlags }));
    } catch (err) {
      return message(err);
    }
  };
  const bearerRequest = (g: Gateway) => ({ method: 'GET', path: `/api${PATH}`, headers: { Authorization: `Bearer ${g.credentials.bearer}` } });
  const tokenRequest = (g: Gateway) => ({ method: 'POST', path: '/oauth2/token', headers: { ...form, Authorization: g.credentials.basic }, body: 'grant_type=client_credentials' });

  // The proxied routes share one gateway: public, bearer, OAuth 1.0a.
  const oauth1Label = `gateway OAuth 1.0a HMAC-SHA1 route (${redisUrl ? 'Redis' : 'memory'} nonce)`;
  if (wanted('public', 'bearer', 'oauth1')) {
    const g = await gateway({ name: 'proxy', databaseUrl: null, workers: 1, oauth1: wanted('oauth1') });
    if (typeof g === 'string') {
      for (const [name, label] of [['public', 'gateway public route'], ['bearer', 'gateway bearer route'], ['oauth1', oauth1Label]] as const) add({ name, label, unavailable: g });
    } else {
      add({ name: 'public', label: 'gateway public route', url: g.url, pid: g.pid, request: { method: 'GET', path: `/public${PATH}`, headers: {} } });
      add({ name: 'bearer', label: 'gateway bearer route', url: g.url, pid: g.pid, request: bearerRequest(g) });
      const oauth1 = g.credentials.oauth1;
      if (oauth1) {
        const authorize = requestAuthorizer('GET', `${g.url}/api${PATH}`, oauth1);
        add({ name: 'oauth1', label: oauth1Label, url: g.url, pid: g.pid, request: { method: 'GET', path: `/api${PATH}`, headers: {} }, authorize });
      }
    }
  }

  // Token issuance writes a row per request: each database gets a gateway of its own, so neither its
  // load nor its memory colours the proxied rows.
  if (wanted('token-sqlite')) {
    const label = 'gateway token endpoint, client_credentials, SQLite';
    const g = await gateway({ name: 'token-sqlite', databaseUrl: null, workers: 1, oauth1: false });
    add(typeof g === 'string' ? { name: 'token-sqlite', label, unavailable: g } : { name: 'token-sqlite', label, url: g.url, pid: g.pid, request: tokenRequest(g) });
  }
  if (wanted('token-postgres')) {
    const label = 'gateway token endpoint, client_credentials, PostgreSQL';
    let g: Gateway | string;
    try {
      const database = await privateDatabase(settings.postgresUrl);
      setup.databases.push(database);
      g = await gateway({ name: 'token-postgres', databaseUrl: database.url, workers: 1, oauth1: false });
    } catch (err) {
      g = `PostgreSQL at ${new URL(settings.postgresUrl).host}: ${message(err)}`;
    }
    add(typeof g === 'string' ? { name: 'token-postgres', label, unavailable: g } : { name: 'token-postgres', label, url: g.url, pid: g.pid, request: tokenRequest(g) });
  }

  if (wanted('bearer-2-workers')) {
    const label = 'gateway bearer route, 2 workers';
    const g = redisUrl ? await gateway({ name: 'workers', databaseUrl: null, workers: 2, oauth1: false }) : `several workers need Redis, and none answered at ${settings.redisUrl}`;
    add(typeof g === 'string' ? { name: 'bearer-2-workers', label, unavailable: g } : { name: 'bearer-2-workers', label, url: g.url, pid: g.pid, request: bearerRequest(g) });
  }

  // Tokens of an external authorization server (bench/servers/bench-issuer.ts): a JWT verified with
  // its JWKS, an opaque token introspected; each verified once, then answered from the cache (warm).
  if (wanted('jwt', 'introspection')) {
    const labels = { jwt: 'gateway JWT route (external issuer, cached)', introspection: 'gateway introspection route (warm cache)' } as const;
    let g: Gateway | string;
    let tokens: { jwt: string; opaque: string } | null = null;
    try {
      const issuer = started(await startBenchServer('bench issuer', 'bench-issuer.js', []));
      tokens = (await (await fetch(`${issuer.url}/bench-tokens`)).json()) as { jwt: string; opaque: string };
      g = await gateway({
        name: 'issuers',
        databaseUrl: null,
        workers: 1,
        oauth1: false,
        issuers: [{ name: 'bench', issuer: issuer.url, audiences: [BENCH_AUDIENCE], introspection: BENCH_GATEWAY_CLIENT, cache: { activeSeconds: 3600 } }],
        routes: [{ prefix: '/ext', upstream: upstream.url, accept: ['issuer:bench'] }],
      });
    } catch (err) {
      g = message(err);
    }
    for (const [name, token] of [['jwt', tokens?.jwt], ['introspection', tokens?.opaque]] as const) {
      if (typeof g === 'string' || !token) add({ name, label: labels[name], unavailable: typeof g === 'string' ? g : 'no token' });
      else add({ name, label: labels[name], url: g.url, pid: g.pid, request: { method: 'GET', path: `/ext${PATH}`, headers: { Authorization: `Bearer ${token}` } } });
    }
  }
  return targets;
}
