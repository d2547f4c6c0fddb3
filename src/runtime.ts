import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config';
import type { GatewayDeps } from './deps';
import { openStore } from './storage';
import { createCache, type Cache } from './cache';
import { openRevocations } from './revocation';
import { SecretBox, SecretHashing, checkSecretKey, keySource, loadOrCreateSecretKey } from './crypto';
import { createLogger, type Logger } from './http/logger';
import { Metrics } from './http/metrics';
import { systemClock, type Clock } from './clock';
import { createApp } from './app';
import { closeUpstreams } from './gateway/lifecycle';

const sweepIntervalMs = 10 * 60 * 1000;

export interface RuntimeOptions {
  logger?: Logger;
  clock?: Clock;
  /** Several gateways in one process (tests) keep separate metric registries; default metrics only for the real server. */
  defaultMetrics?: boolean;
}

export interface Runtime {
  deps: GatewayDeps;
  secretKey: Buffer;
  close(): Promise<void>;
}

/** Opens storage (running migrations), the cache and the secret key: everything the routers need. */
export async function openRuntime(config: GatewayConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.log.level);
  const clock = options.clock ?? systemClock;
  const { key, generated, file } = loadOrCreateSecretKey(config.secretKey, config.dataDir);
  if (generated) {
    logger.warn({ file }, 'no GATEWAY_SECRET_KEY configured: generated a new secret key in the data dir (mode 0600); back it up, and set the same key on every node');
  }
  const secrets = new SecretBox(key);
  const store = await openStore({ databaseUrl: config.database.url, dataDir: config.dataDir });
  let cache: Cache | undefined;
  let revocation: Awaited<ReturnType<typeof openRevocations>>;
  try {
    await checkSecretKey(store, secrets, clock, keySource({ file }));
    cache = createCache({ redisUrl: config.redis.url, clock, memoryMaxBytes: config.cache.memoryMaxBytes });
    revocation = await openRevocations({ log: store.revocationLog, cache, clock, logger });
  } catch (err) {
    await cache?.close();
    await store.close();
    throw err;
  }
  const deps: GatewayDeps = {
    config,
    store,
    cache,
    secrets,
    hashing: new SecretHashing(config.hashing, clock),
    clock,
    logger,
    metrics: new Metrics({ defaultMetrics: options.defaultMetrics }),
    ...revocation,
  };
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
      deps.hashing.close();
      await deps.revocations.close();
      await Promise.allSettled([closeUpstreams(deps), deps.cache.close(), store.close()]);
    },
  };
}

export interface RunningGateway {
  runtime: Runtime;
  server: http.Server;
  /** http://host:port the server listens on. */
  url: string;
  /** Stops accepting, lets in-flight requests finish up to the deadline, then closes storage and cache. */
  shutdown(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, options: RuntimeOptions = {}): Promise<RunningGateway> {
  const runtime = await openRuntime(config, options);
  const app = createApp(runtime.deps, runtime.secretKey);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  }).catch(async (err) => {
    await runtime.close();
    throw err;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    runtime,
    server,
    url: `http://${host}:${address.port}`,
    shutdown() {
      closing ??= (async () => {
        const deadline = config.server.shutdownTimeoutSeconds * 1000;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Idle keep-alive sockets would hold close() open; busy ones get until the deadline.
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), deadline);
        timer.unref();
        await closed;
        clearTimeout(timer);
        await runtime.close();
      })();
      return closing;
    },
  };
}
