import type { GatewayConfig } from './config';
import { startGateway } from './runtime';
import { startDemoBackend } from './demo/backend';
import { demoBanner, seedDemo } from './demo/seed';
import { demoConfig, demoRuns, proxiesAnything } from './demo/enabled';
import { createLogger } from './http/logger';

/** `oauth-gateway serve`: start, seed the demo on first run, and shut down cleanly on SIGTERM/SIGINT. */
export async function serve(loaded: GatewayConfig, options: { json: boolean }): Promise<void> {
  // Listen for the stop signals first: a supervisor may send SIGTERM the moment it reads the summary
  // line, and a signal that arrived before a handler existed would kill the process uncleanly.
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const logger = createLogger(loaded.log.level);
  const demo = demoRuns(loaded);
  if (loaded.demo && !demo) logger.info('an upstream or routes are configured: no demo backend and no demo accounts');
  if (!demo && !proxiesAnything(loaded)) {
    logger.warn('no upstream and no routes configured: nothing is proxied, every path outside the gateway\'s own endpoints answers 404');
  }
  const demoBackend = demo ? await startDemoBackend() : null;
  if (demoBackend) logger.info({ upstream: demoBackend.url }, 'no upstream configured: serving the built-in demo backend behind /api');
  const config = demoBackend ? demoConfig(loaded, demoBackend.url) : loaded;
  const gateway = await startGateway(config, { logger, defaultMetrics: true });
  if (config.server.publicUrl === null) {
    logger.warn(
      { listen: gateway.url },
      'server.publicUrl is not set: URLs in answers (issuer, metadata, verification_uri, xoauth_user_auth_url) use the listen address unless a trusted proxy names another; production needs server.publicUrl (GATEWAY_PUBLIC_URL)',
    );
  }
  const publicUrl = config.server.publicUrl ?? gateway.url;
  if (demo) {
    const { store, secrets, clock } = gateway.runtime.deps;
    const credentials = await seedDemo({ store, secrets, clock }, publicUrl);
    const plaintext = config.oauth1.signatureMethods.includes('PLAINTEXT') && (config.oauth1.plaintextOverHttp || publicUrl.startsWith('https:'));
    if (credentials) process.stdout.write(demoBanner(credentials, publicUrl, { plaintext }) + '\n');
  }
  const summary = { url: gateway.url, publicUrl, database: gateway.runtime.deps.store.kind, cache: gateway.runtime.deps.cache.kind, demo };
  if (options.json) process.stdout.write(JSON.stringify(summary) + '\n');
  logger.info(summary, 'oauth-gateway listening');

  const signal = await stopSignal;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  try {
    await gateway.shutdown();
    await demoBackend?.close();
  } finally {
    logger.info('stopped');
    // Log lines are written asynchronously (createLogger): the last ones are out before serve returns.
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }
}
