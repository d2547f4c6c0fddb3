import Koa from 'koa';
import { createHmac } from 'node:crypto';
import type { GatewayDeps } from './deps';
import { errorMapper } from './http/errors';
import { requestContext } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { healthRouter } from './http/health';
import { notFound } from './http/not-found';

/** Cookie signing keys derived from the gateway's secret key, so they survive restarts and match across nodes. */
export function cookieKeys(secretKey: Buffer): string[] {
  return [createHmac('sha256', secretKey).update('oauth-gateway cookie signing v1').digest('base64url')];
}

/**
 * Builds the Koa app. Order matters: the error mapper wraps everything so no handler can leak a
 * stack trace; request ids come next so every log line carries one.
 */
export function createApp(deps: GatewayDeps, secretKey: Buffer): Koa {
  const app = new Koa({ proxy: false });
  app.keys = cookieKeys(secretKey);
  app.silent = true; // errors are logged by the error mapper, with redaction

  app.use(requestContext(deps.logger, deps.clock));
  app.use(errorMapper);
  app.use(securityHeaders({ https: (deps.config.server.publicUrl ?? '').startsWith('https:') }));

  for (const router of [healthRouter(deps)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use(notFound);
  return app;
}
