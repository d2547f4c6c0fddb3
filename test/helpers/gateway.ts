import { usernameKey } from '../../src/storage';
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type Router from '@koa/router';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createApp } from '../../src/app';
import { addClient, addProfile, type ClientInput } from '../../src/accounts/admin';
import { RedisCache } from '../../src/cache';
import { manualClock } from '../../src/clock';
import { deepMerge, loadConfig, type GatewayConfig } from '../../src/config';
import { hashSecret } from '../../src/crypto';
import type { GatewayDeps } from '../../src/deps';
import { createLogger } from '../../src/http/logger';
import { openRuntime } from '../../src/runtime';
import { openStore } from '../../src/storage';
import type { ClientRow, ProfileRow, UserRow } from '../../src/storage/types';
import type { Store } from '../../src/storage/types';
import { REDIS_URL, deleteKeysWithPrefix, randomKeyPrefix } from './redis';
import { POSTGRES_URL, withPostgresSchema, type PostgresSchema } from './postgres';
import { tempDataDir, type TempDir } from './sqlite';

export type ManualClock = ReturnType<typeof manualClock>;

export interface GatewayOptions {
  /** Config overrides, merged over the defaults (demo off, debug-level logs). */
  config?: Record<string, unknown>;
  /** 'memory' (default) or the real Redis under a random key prefix. */
  cache?: 'memory' | 'redis';
  /** The Redis to use when cache is 'redis' (default: the shared test Redis). */
  redisUrl?: string;
  /** 'sqlite' (default, a temp data dir) or the real PostgreSQL in a fresh schema. */
  database?: 'sqlite' | 'postgres';
  /** The PostgreSQL to use when database is 'postgres' (default: the shared test PostgreSQL; a private one to break it). */
  postgresUrl?: string;
  /**
   * Another gateway whose database and Redis prefix this one shares: a second node of the same
   * deployment (its own process state, same shared state). Only the first one cleans up.
   */
  sharing?: TestGateway;
  /** Where spans go when the config enables tracing (the SDK's InMemorySpanExporter); OTLP/HTTP without it. */
  spanExporter?: SpanExporter;
  /** Routers added to the real app just ahead of its final 404 (e.g. a route guarded by requireBearer with scopes). */
  extraRouters?: (deps: GatewayDeps) => Router[];
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, or undefined when the body is not JSON. */
  json: any;
}

export interface Fixtures {
  profile(name: string, privileges: string[]): Promise<ProfileRow>;
  /** A user straight into the store (so even a seed's six-character password works); the password is remembered. */
  user(username: string, password: string, options?: { profile?: ProfileRow; enabled?: boolean }): Promise<UserRow>;
  /** A client through the admin code the CLI uses; the secret is remembered. */
  client(input: ClientInput): Promise<{ client: ClientRow; secret: string | null }>;
}

export interface TestGateway {
  url: string;
  deps: GatewayDeps;
  clock: ManualClock;
  fixtures: Fixtures;
  /** Calls on the store's repositories so far (a cache hit must add none). */
  storeCalls(): number;
  /** fetch against the gateway; token values in JSON answers are remembered as secrets. */
  request(path: string, init?: RequestInit): Promise<HttpResult>;
  /** Values that must never reach a log line. */
  remember(...values: Array<string | null | undefined>): void;
  /** Everything logged so far. */
  logText(): string;
  /** The values remembered so far. */
  secrets(): string[];
  /** Remembered values (and any extra ones) that do appear in the logs (should be empty). */
  leakedSecrets(extra?: readonly string[]): string[];
  readonly shared: { dataDir: string | null; schema: PostgresSchema | null; keyPrefix: string | null; redisUrl: string; secretKey: Buffer };
  close(): Promise<void>;
}

/**
 * Wraps every repository method (and transaction) of the store so calls can be counted. The
 * revocation log is left out: the node reads it in the background every second, never for a request.
 */
function countingStore(store: Store, counter: { calls: number }): Store {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'transaction' && typeof value === 'function') {
        return (...args: unknown[]) => {
          counter.calls += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (typeof value === 'function') return (value as (...a: unknown[]) => unknown).bind(target);
      if (value === null || typeof value !== 'object' || prop === 'revocationLog') return value;
      if (!wrapped.has(prop)) {
        const repo = value as Record<string, unknown>;
        wrapped.set(
          prop,
          new Proxy(repo, {
            get(r, name, rr) {
              const fn = Reflect.get(r, name, rr);
              if (typeof fn !== 'function') return fn;
              return (...args: unknown[]) => {
                counter.calls += 1;
                return (fn as (...a: unknown[]) => unknown).apply(r, args);
              };
            },
          }),
        );
      }
      return wrapped.get(prop);
    },
  });
}

function buildConfig(dataDir: string, secretKey: Buffer, overrides: Record<string, unknown>): GatewayConfig {
  const base = { dataDir, secretKey: secretKey.toString('hex'), demo: false, log: { level: 'trace' }, server: { host: '127.0.0.1', port: 0 } };
  return loadConfig({ env: {}, overrides: deepMerge(base, overrides) });
}

/**
 * A real gateway (the runtime's deps and createApp over real storage and a real cache) listening on
 * 127.0.0.1:0, with a manual clock and a captured log stream.
 */
export async function startTestGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  const owner = !options.sharing;
  const database = options.database ?? 'sqlite';
  const cacheKind = options.cache ?? 'memory';

  const temp: TempDir | null = owner ? tempDataDir('oauth2') : null;
  const dataDir = (options.sharing?.shared.dataDir ?? temp?.dir) as string;
  const schema = options.sharing ? options.sharing.shared.schema : database === 'postgres' ? await withPostgresSchema(options.postgresUrl) : null;
  const keyPrefix = options.sharing ? options.sharing.shared.keyPrefix : cacheKind === 'redis' ? randomKeyPrefix('oauth2') : null;

  const redisUrl = options.sharing?.shared.redisUrl ?? options.redisUrl ?? REDIS_URL;
  // Nodes of one deployment share the secret key (GATEWAY_SECRET_KEY), so each can open what another sealed.
  const key = options.sharing?.shared.secretKey ?? randomBytes(32);
  const config = buildConfig(dataDir, key, options.config ?? {});
  // Nodes of one deployment share wall time.
  const clock = options.sharing?.clock ?? manualClock(Date.UTC(2030, 0, 1));
  const counter = { calls: 0 };
  const rawStore = await openStore({ databaseUrl: schema ? schema.url : null, dataDir, schema: schema?.schema, timeouts: config.database });

  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  // The runtime builds every long-lived object as in production; only the store (its own schema,
  // calls counted), the Redis key prefix (when cache is 'redis'), the clock and the log sink are the test's.
  const runtime = await openRuntime(config, {
    spanExporter: options.spanExporter,
    clock,
    logger: createLogger(config.log.level, sink),
    store: countingStore(rawStore, counter),
    cache: keyPrefix ? new RedisCache({ url: redisUrl, keyPrefix }) : undefined,
  });
  const { deps } = runtime;
  const app = createApp(deps, runtime.secretKey);
  for (const router of options.extraRouters?.(deps) ?? []) {
    app.middleware.splice(app.middleware.length - 1, 0, router.routes() as unknown as (typeof app.middleware)[number]);
  }
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const secrets = new Set<string>();
  const remember = (...values: Array<string | null | undefined>) => {
    for (const v of values) if (v) secrets.add(v);
  };

  const fixtures: Fixtures = {
    profile: (name, privileges) => addProfile(deps, { name, privileges: privileges.join(',') }),
    async user(username, password, opts = {}) {
      remember(password);
      const user: UserRow = {
        id: randomUUID(),
        username,
        usernameKey: usernameKey(username),
        passwordHash: await hashSecret(password),
        profileId: opts.profile?.id ?? null,
        enabled: opts.enabled ?? true,
        credentialVersion: 0,
        createdAt: clock(),
        source: 'local',
        displayName: null,
        email: null,
      };
      await rawStore.users.create(user);
      return user;
    },
    async client(input) {
      const created = await addClient(deps, input);
      remember(created.secret);
      return created;
    },
  };

  let closed: Promise<void> | undefined;
  return {
    url,
    deps,
    clock,
    fixtures,
    storeCalls: () => counter.calls,
    async request(path, init) {
      const res = await fetch(url + path, init);
      const text = await res.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (json && typeof json === 'object') remember(json.access_token, json.refresh_token);
      return { status: res.status, headers: res.headers, text, json };
    },
    remember,
    logText: () => logs.join(''),
    secrets: () => [...secrets],
    leakedSecrets(extra = []) {
      const text = logs.join('');
      return [...new Set([...secrets, ...extra])].filter((s) => text.includes(s));
    },
    shared: { dataDir, schema, keyPrefix, redisUrl, secretKey: key },
    close() {
      closed ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await runtime.close();
        if (owner) {
          if (keyPrefix) await deleteKeysWithPrefix(keyPrefix, redisUrl).catch(() => undefined);
          if (schema) await schema.drop();
          temp?.remove();
        }
      })();
      return closed;
    },
  };
}

/** Authorization: Basic for a client, with id and secret form-encoded first (RFC 6749 appendix B). */
export function basicAuth(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return 'Basic ' + Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString('base64');
}

/** A form body (application/x-www-form-urlencoded) for fetch. */
export function form(values: Record<string, string>): { body: string; headers: Record<string, string> } {
  return {
    body: new URLSearchParams(values).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
