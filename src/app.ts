import Koa from 'koa';
import Router from '@koa/router';
import type { RequestState } from './http/context';
import { createHmac } from 'node:crypto';
import type { GatewayDeps } from './deps';
import { errorMapper } from './http/errors';
import { requestContext } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { healthRouter } from './http/health';
import { notFound } from './http/not-found';
import { ownMethodsOnly } from './http/method-not-allowed';
import { oauth2Router } from './oauth2';
import { clearpassRouter } from './clearpass';
import { pagesRouter } from './pages';
import { oauth1Router, oauth1Verifier } from './oauth1';
import { bearerVerifier } from './oauth2/bearer';
import { gatewayRouter } from './gateway/router';
import { ownPathMatcher } from './gateway/own-paths';
import { metricsRouter } from './http/metrics-route';

/** Cookie signing keys derived from the gateway's secret key, so they survive restarts and match across nodes. */
export function cookieKeys(secretKey: Buffer): string[] {
  return [createHmac('sha256', secretKey).update('oauth-gateway cookie signing v1').digest('base64url')];
}

/**
 * The gateway's own endpoints (protocol endpoints, pages, health, metrics) as one router: a request
 * is matched once against all of them instead of walking a dozen routers in turn.
 */
function ownEndpoints(deps: GatewayDeps): Router {
  const own = new Router<RequestState>();
  for (const router of [healthRouter(deps), pagesRouter(deps), oauth1Router(deps), oauth2Router(deps), clearpassRouter(deps), metricsRouter(deps.metrics, deps.config.metrics.token)]) {
    own.use(router.routes());
  }
  return own;
}

/**
 * Builds the Koa app. Order matters: request ids come first so every log line carries one; the
 * security headers wrap the error mapper, which wraps everything else so no handler can leak a
 * stack trace. The gateway's own endpoints
 * win over the route table: the gateway router passes any path one of them matches (whatever the
 * method, so a wrong one still gets 405) straight on to them, and proxies the rest without
 * touching a router.
 */
export function createApp(deps: GatewayDeps, secretKey: Buffer): Koa {
  const app = new Koa<RequestState>({ proxy: false });
  app.keys = cookieKeys(secretKey);
  app.silent = true; // errors are logged by the error mapper, with redaction

  app.use(requestContext(deps.logger, deps.accessLog, deps.clock));
  // Outside the error mapper, so the answers it renders for errors get the same headers.
  app.use(securityHeaders({ https: (deps.config.server.publicUrl ?? '').startsWith('https:') }));
  app.use(errorMapper({ oauth1Realm: deps.config.oauth1.realm }));

  const own = ownEndpoints(deps);
  app.use(gatewayRouter(deps, { oauth1: oauth1Verifier(deps), oauth2: bearerVerifier(deps) }, ownPathMatcher(own)));
  app.use(own.routes());
  app.use(ownMethodsOnly(own));
  app.use(notFound);
  return app;
}
