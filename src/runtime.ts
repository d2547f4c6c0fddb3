import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config';
import type { GatewayDeps } from './deps';
import { openStore } from './storage';
import { withCachedParties } from './revocation/cached-parties';
import type { Store } from './storage/types';
import { createCache, type Cache } from './cache';
import { openRevocations } from './revocation';
import { SecretBox, SecretHashing, checkSecretKey, keySource, loadOrCreateSecretKey } from './crypto';
import { accessLogger, createLogger, type Logger } from './http/logger';
import { Metrics } from './http/metrics';
import { signInEvents } from './http/sign-in-events';
import { TimedCache } from './cache/timed';
import { openTracing } from './tracing';
import { observedStore } from './storage/observed-store';
import { storeCallObserver } from './http/store-calls';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Outages } from './http/outages';
import { NonceMemory } from './oauth1/nonce-memory';
import { IssuerMetrics, Issuers } from './issuers';
import { SigningKeys } from './oidc/keys';
import { originConfig } from './http/public-origin';
import { Lockout } from './accounts/lockout';
import { configuredDirectory, type DirectoryUserStore } from './accounts/ldap';
import { ClientAuthLimit } from './oauth2/client-auth-limit';
import { EntryLimit } from './oauth2/device/entry-limit';
import { Upstreams } from './gateway/upstreams';
import { BufferedBodies } from './http/buffered-bodies';
import { systemClock, type Clock } from './clock';
import { createApp } from './app';
import { DrainState } from './http/drain-state';
import { ConnectionDrain, type DrainOutcome } from './http/drain';
import { createAdminApp } from './admin/app';
import { parseListenAddress } from './config/listen-address';

const sweepIntervalMs = 10 * 60 * 1000;

export interface RuntimeOptions {
  logger?: Logger;
  clock?: Clock;
  /** Several gateways in one process (tests) keep separate metric registries; default metrics only for the real server. */
  defaultMetrics?: boolean;
  /**
   * An open store to use instead of the configured database (tests: a PostgreSQL schema of their
   * own, or a store that counts calls). The runtime takes it over: close() closes it.
   */
  store?: Store;
  /** Where spans go when tracing is enabled, instead of OTLP/HTTP to tracing.endpoint (tests: the SDK's InMemorySpanExporter). */
  spanExporter?: SpanExporter;
  /** Likewise a cache instead of the configured one (tests: a Redis key prefix of their own). Closed by close(). */
  cache?: Cache;
}

export interface Runtime {
  deps: GatewayDeps;
  secretKey: Buffer;
  close(): Promise<void>;
}

/**
 * Opens storage (running migrations), the cache and the secret key, and creates every long-lived
 * object the routers share (GatewayDeps): close() closes exactly these. Building the routers then
 * starts nothing.
 */
export async function openRuntime(config: GatewayConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.log.level, undefined, config.log.format);
  const metrics = new Metrics({ defaultMetrics: options.defaultMetrics });
  const clock = options.clock ?? systemClock;
  const tracing = openTracing(config, options.spanExporter);
  // What the caller handed over is closed on failure too, like what is opened here.
  let store = options.store;
  let cache = options.cache;
  let loaded: ReturnType<typeof loadOrCreateSecretKey>;
  let secrets: SecretBox;
  let revocations: Awaited<ReturnType<typeof openRevocations>>;
  let nonceMemory: NonceMemory;
  let directory: DirectoryUserStore | null;
  let signingKeys: SigningKeys;
  try {
    loaded = loadOrCreateSecretKey(config.secretKey, config.dataDir);
    if (loaded.generated) {
      logger.warn({ file: loaded.file }, 'no GATEWAY_SECRET_KEY configured: generated a new secret key in the data dir (mode 0600); back it up, and set the same key on every node');
    }
    store ??= await openStore({ databaseUrl: config.database.url, dataDir: config.dataDir, timeouts: config.database });
    store.observeCommits(metrics.databaseCommits());
    // Every store call timed, its failures counted, and traced under the request (http/store-calls.ts).
    store = observedStore(store, storeCallObserver(metrics, tracing, store.kind));
    secrets = new SecretBox(loaded.key);
    await checkSecretKey(store, secrets, clock, keySource({ file: loaded.file }));
    cache ??= createCache({ redisUrl: config.redis.url, clock, memoryMaxBytes: config.cache.memoryMaxBytes });
    // Redis calls are timed, their failures counted and, tracing on, each is a span; the in-process memory cache has no latency worth a histogram.
    if (cache.kind === 'redis') cache = new TimedCache(cache, metrics, tracing);
    revocations = await openRevocations({ log: store.revocationLog, cache, clock, logger });
    nonceMemory = new NonceMemory({ cache, clock, logger, timestampWindowSeconds: config.oauth1.timestampWindowSeconds });
    await nonceMemory.open();
    directory = configuredDirectory(config, { store, clock, logger });
    signingKeys = new SigningKeys({ store, secrets, clock, logger });
  } catch (err) {
    await cache?.close();
    await store?.close();
    await tracing?.close();
    throw err;
  }
  const key = loaded.key;
  // Requests read clients and consumers through a short-lived in-memory copy that follows the revocation log.
  const served = withCachedParties(store, { feed: revocations.revocations.feed, clock, ttlSeconds: config.database.clientCacheSeconds });
  const { login } = config;
  const deps: GatewayDeps = {
    config,
    store: served,
    cache,
    secrets,
    hashing: new SecretHashing(config.hashing, clock),
    clock,
    logger,
    accessLog: accessLogger(logger),
    metrics,
    origin: originConfig(config.server),
    lockout: new Lockout(cache, login, signInEvents(metrics, logger)),
    clientAuthLimit: new ClientAuthLimit(cache, config.clientAuth),
    // The sign-in policy's per-address numbers: a wrong code is a wrong guess like a wrong password.
    deviceEntryLimit: new EntryLimit(cache, { maxFailures: login.maxFailuresPerAddress, windowSeconds: login.lockSeconds }),
    upstreams: new Upstreams(config.upstreamLimits),
    bufferedBodies: new BufferedBodies(config.server.bufferedBodiesMaxBytes),
    drain: new DrainState(),
    ...revocations,
    nonceMemory,
    issuers: new Issuers(config.issuers, { metrics: new IssuerMetrics(metrics.registry), logger, clock }),
    directory,
    tracing,
    signingKeys,
    outages: new Outages({ logger, clock, probes: { database: () => store.ping(), cache: () => cache.ping() } }),
  };
  metrics.watchDependencies((dependency) => !deps.outages.ongoing(dependency));
  // Expired tokens, codes and sessions are deleted in the background; every node may do it (idempotent).
  const sweeper = setInterval(() => {
    store
      .sweepExpired(clock())
      .then((removed) => removed > 0 && logger.debug({ removed }, 'swept expired rows'))
      .catch((err) => logger.warn({ err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'sweeping expired rows failed'));
  }, sweepIntervalMs);
  sweeper.unref();
  return {
    deps,
    secretKey: key,
    async close() {
      clearInterval(sweeper);
      deps.outages.close();
      deps.hashing.close();
      await deps.revocations.close();
      await Promise.allSettled([deps.upstreams.close(), deps.cache.close(), store.close(), deps.tracing?.close()]);
    },
  };
}

export interface RunningGateway {
  runtime: Runtime;
  server: http.Server;
  /** http://host:port the server listens on. */
  url: string;
  /** http://host:port of the admin listener (config admin.listen), or null: the admin API is on the main one (or off). */
  adminUrl: string | null;
  /**
   * Drains (http/drain.ts: /readyz 503, Connection: close, no new connections, in-flight requests
   * finish up to server.shutdownTimeoutSeconds), then closes storage and cache. The outcome counts
   * the requests the deadline cut.
   */
  shutdown(): Promise<DrainOutcome>;
}

function listen(server: http.Server, port: number, host: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`);
    });
  });
}

export async function startGateway(config: GatewayConfig, options: RuntimeOptions = {}): Promise<RunningGateway> {
  const runtime = await openRuntime(config, options);
  const app = createApp(runtime.deps, runtime.secretKey);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  const drains = [new ConnectionDrain(server, runtime.deps.drain)];
  // The admin API's own listener (admin.listen), started and drained with the main one.
  const adminAt = config.admin.enabled && config.admin.listen !== null ? parseListenAddress(config.admin.listen) : null;
  const adminServer = adminAt ? http.createServer(createAdminApp(runtime.deps).callback()) : null;
  if (adminServer) drains.push(new ConnectionDrain(adminServer, runtime.deps.drain));
  let url: string;
  let adminUrl: string | null = null;
  try {
    url = await listen(server, config.server.port, config.server.host);
    if (adminServer && adminAt) adminUrl = await listen(adminServer, adminAt.port, adminAt.host);
  } catch (err) {
    for (const s of [server, adminServer]) if (s?.listening) s.close();
    await runtime.close();
    throw err;
  }
  let closing: Promise<DrainOutcome> | undefined;
  return {
    runtime,
    server,
    url,
    adminUrl,
    shutdown() {
      closing ??= (async () => {
        const deadline = config.server.shutdownTimeoutSeconds * 1000;
        const outcomes = await Promise.all(drains.map((d) => d.drain(deadline)));
        await runtime.close();
        return { cut: outcomes.reduce((sum, o) => sum + o.cut, 0) };
      })();
      return closing;
    },
  };
}
