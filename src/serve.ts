import type { GatewayConfig } from './config';
import { startGateway } from './runtime';
import { startDemoBackend } from './demo/backend';
import { demoBanner, seedDemo, type DemoCredentials } from './demo/seed';
import { demoConfig, demoRuns, proxiesAnything } from './demo/enabled';
import { createLogger, type Logger } from './http/logger';
import { systemClock } from './clock';
import { workerCount } from './cluster/worker-count';
import { startWorkers } from './cluster/primary';
import { EXIT_DRAIN_CUT, ServeExitError } from './serve-exit';


/** What `serve` runs: one gateway in this process, or the primary of several worker processes. */
interface Serving {
  url: string;
  /** Where the admin API answers when it has a listener of its own (admin.listen). */
  adminUrl: string | null;
  database: string;
  cache: string;
  seedDemo(publicUrl: string): Promise<DemoCredentials | null>;
  /** Rejects when serving can't go on (the workers keep failing to start). */
  failed: Promise<never>;
  /** Drains; resolves with the exit code (0, or EXIT_DRAIN_CUT when the deadline cut requests). */
  stop(): Promise<number>;
}

async function serveHere(config: GatewayConfig, logger: Logger): Promise<Serving> {
  const gateway = await startGateway(config, { logger, defaultMetrics: true });
  // The OpenID provider's keys exist from the first start on (made once, shared through the database).
  await gateway.runtime.deps.signingKeys.ensure();
  const { store, secrets, clock, cache } = gateway.runtime.deps;
  return {
    url: gateway.url,
    adminUrl: gateway.adminUrl,
    database: store.kind,
    cache: cache.kind,
    seedDemo: (publicUrl) => seedDemo({ store, secrets, clock }, publicUrl),
    failed: new Promise<never>(() => undefined),
    async stop() {
      logger.info('draining: finishing in-flight requests');
      const { cut } = await gateway.shutdown();
      if (cut > 0) logger.warn({ cut }, 'the drain deadline passed: requests still in flight were cut');
      return cut > 0 ? EXIT_DRAIN_CUT : 0;
    },
  };
}

async function serveWorkers(config: GatewayConfig, count: number, logger: Logger): Promise<Serving> {
  const workers = await startWorkers(config, count, logger);
  return {
    url: workers.url,
    // The workers share the admin port as they share the main one (node:cluster).
    adminUrl: workers.adminUrl,
    database: workers.database,
    // The configuration refuses several workers without Redis.
    cache: 'redis',
    seedDemo: (publicUrl) => workers.withStore(({ store, secrets }) => seedDemo({ store, secrets, clock: systemClock }, publicUrl)),
    failed: workers.failed,
    async stop() {
      const codes = await workers.stop();
      return codes.find((c) => c !== 0) ?? 0;
    },
  };
}

/**
 * `oauth-gateway serve`: start (one process, or `server.workers` processes sharing the port), seed the
 * demo on first run, and drain on SIGTERM/SIGINT (http/drain.ts).
 */
export async function serve(loaded: GatewayConfig, options: { json: boolean }): Promise<void> {
  // Listen for the stop signals first: a supervisor may send SIGTERM the moment it reads the summary
  // line, and a signal that arrived before a handler existed would kill the process uncleanly. The
  // listeners stay: a second signal (Ctrl-C twice) must not cut the drain the first one began.
  const stopSignal = new Promise<string>((resolve) => {
    process.on('SIGTERM', () => resolve('SIGTERM'));
    process.on('SIGINT', () => resolve('SIGINT'));
  });
  const logger = createLogger(loaded.log.level, undefined, loaded.log.format);
  const demo = demoRuns(loaded);
  if (loaded.demo && !demo) logger.info('an upstream or routes are configured: no demo backend and no demo accounts');
  if (!demo && !proxiesAnything(loaded)) {
    logger.warn('no upstream and no routes configured: nothing is proxied, every path outside the gateway\'s own endpoints answers 404');
  }
  const demoBackend = demo ? await startDemoBackend() : null;
  if (demoBackend) logger.info({ upstream: demoBackend.url }, 'no upstream configured: serving the built-in demo backend behind /api');
  const config = demoBackend ? demoConfig(loaded, demoBackend.url) : loaded;
  const workers = workerCount(config.server.workers);
  let serving: Serving;
  try {
    serving = workers > 1 ? await serveWorkers(config, workers, logger) : await serveHere(config, logger);
  } catch (err) {
    await demoBackend?.close();
    throw err;
  }
  if (config.server.publicUrl === null) {
    logger.warn(
      { listen: serving.url },
      'server.publicUrl is not set: URLs in answers (issuer, metadata, verification_uri, xoauth_user_auth_url) use the listen address unless a trusted proxy names another; production needs server.publicUrl (GATEWAY_PUBLIC_URL)',
    );
  }
  const publicUrl = config.server.publicUrl ?? serving.url;
  demoBackend?.announce(publicUrl);
  // Log lines wait in a buffer (createLogger): the startup ones go out before anything this writes to
  // standard output itself (the banner, the summary a supervisor waits for), in the order they came.
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  if (demo) {
    const credentials = await serving.seedDemo(publicUrl);
    const plaintext = config.oauth1.signatureMethods.includes('PLAINTEXT') && (config.oauth1.plaintextOverHttp || publicUrl.startsWith('https:'));
    // Standard error: standard output is the JSON log stream (and the --json summary), which a
    // collector parses line by line; the banner is for the person who started the gateway.
    if (credentials) process.stderr.write(demoBanner(credentials, publicUrl, { plaintext }) + '\n');
  }
  const summary = { url: serving.url, publicUrl, ...(serving.adminUrl ? { adminUrl: serving.adminUrl } : {}), database: serving.database, cache: serving.cache, demo, workers };
  if (options.json) process.stdout.write(JSON.stringify(summary) + '\n');
  logger.info(summary, 'oauth-gateway listening');

  let failure: unknown = null;
  const signal = await Promise.race([stopSignal, serving.failed.catch((err) => ((failure = err), null))]);
  if (signal !== null) logger.info({ signal, workers }, 'shutting down');
  let code = 0;
  try {
    code = await serving.stop();
    await demoBackend?.close();
  } finally {
    logger.info({ exitCode: failure ? 1 : code }, 'stopped');
    // Log lines are written asynchronously (createLogger): the last ones are out before serve returns.
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }
  if (failure) throw failure;
  if (code !== 0) throw new ServeExitError(code === EXIT_DRAIN_CUT ? 'the drain deadline passed: requests in flight were cut' : `a worker exited with code ${code}`, code);
}
