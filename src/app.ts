import Koa from 'koa';
import Router from '@koa/router';
import { memoizeLiteralMatch } from './http/literal-router';
import type { RequestState } from './http/context';
import { createHmac } from 'node:crypto';
import type { GatewayDeps } from './deps';
import { errorMapper } from './http/errors';
import { requestContext } from './http/request-context';
import { EndpointMetrics } from './http/endpoint-metrics';
import { securityHeaders } from './http/security-headers';
import { healthRouter } from './http/health';
import { notFound } from './http/not-found';
import { ownMethodsOnly } from './http/method-not-allowed';
import { oauth2Router } from './oauth2';
import { clearpassRouter } from './clearpass';
import { brandAssets, pageChrome, pagesRouter, type BrandAssets } from './pages';
import { accountRouter } from './account/router';
import { consoleRouter } from './console/router';
import { oauth1Router, oauth1CredentialCheck, oauth1TwoLeggedCheck } from './oauth1';
import { bearerCredentialCheck } from './oauth2/bearer';
import { gatewayRouter, routeFinder, routedRequest } from './gateway/router';
import { proxiedEntry, type NodeHandler } from './gateway/entry';
import { ownPathMatcher } from './gateway/own-paths';
import { metricsRouter } from './http/metrics-route';
import { issuerCredentialChecks } from './issuers';
import { adminRouter, isAdminPath } from './admin/router';

/** Cookie signing keys derived from the gateway's secret key, so they survive restarts and match across nodes. */
function cookieKeys(secretKey: Buffer): string[] {
  return [createHmac('sha256', secretKey).update('oauth-gateway cookie signing v1').digest('base64url')];
}

/**
 * The gateway's own endpoints (protocol endpoints, pages, health, metrics) as one router: a request
 * is matched once against all of them instead of walking a dozen routers in turn.
 */
function ownEndpoints(deps: GatewayDeps, brand: BrandAssets): Router {
  const own = memoizeLiteralMatch(new Router<RequestState>());
  for (const router of [healthRouter(deps), pagesRouter(deps, brand), accountRouter(deps), consoleRouter(deps), oauth1Router(deps), oauth2Router(deps), clearpassRouter(deps), metricsRouter(deps.metrics, deps.config.metrics.token)]) {
    own.use(router.routes());
  }
  return own;
}

/**
 * The app whose callback() is the server's request handler: proxied requests enter through the
 * gateway's own entry (gateway/entry.ts) and skip the middleware chain; the rest is Koa's.
 */
class GatewayApp extends Koa<RequestState> {
  entry: ((koa: NodeHandler) => NodeHandler) | null = null;

  constructor() {
    super({ proxy: false });
  }

  override callback(): ReturnType<Koa['callback']> {
    const koa = super.callback();
    if (!this.entry) return koa;
    // node's server ignores what a handler returns: no promise is made per request for Koa's type.
    return this.entry(koa as NodeHandler) as unknown as ReturnType<Koa['callback']>;
  }
}

/**
 * Builds the Koa app. Order matters, outermost first:
 * 1. the request context: the request id and the access line, so every log line carries the id and
 *    every request, refused or not, gets its line;
 * 2. the security headers, outside the error mapper so the answers it renders get them too (with
 *    Cache-Control: no-store on every error answer);
 * 3. the error mapper, around everything else so no handler can leak a stack trace. It answers each
 *    refusal in the format its route declared (answersIn, error-format.ts); the OAuth 1.0a credential
 *    check on a proxied route switches to problem reports for its own step (answeringIn);
 * 4. the gateway router (which the server's entry runs without 1-3 in front for most proxied
 *    requests, doing their part itself: gateway/entry.ts): the gateway's own endpoints win over the route table, so it passes any path
 *    one of them matches (whatever the method, so a wrong one still gets 405) straight on to them,
 *    and proxies the rest without touching a router;
 * 5. the own endpoints, their 405 for a wrong method, and the 404 for everything else.
 */
export function createApp(deps: GatewayDeps, secretKey: Buffer): Koa<RequestState> {
  const app = new GatewayApp();
  app.keys = cookieKeys(secretKey);
  app.silent = true; // errors are logged by the error mapper, with redaction

  const headers = securityHeaders({ https: deps.origin.configured?.https === true });
  const errors = errorMapper({ oauth1Realm: deps.config.oauth1.realm, outages: deps.outages, metrics: deps.metrics });
  const { trustedProxies } = deps.config.server;
  const brand = brandAssets(deps.config);
  app.use(requestContext(deps.logger, deps.accessLog, deps.clock, { endpoints: new EndpointMetrics(deps.metrics), trustedProxies, tracing: deps.tracing }));
  app.use(headers);
  app.use(pageChrome(deps.config, brand));
  app.use(errors);

  const own = ownEndpoints(deps, brand);
  const isOwn = ownPathMatcher(own);
  // The admin API has parameterised paths, which would take the literal-path shortcut away from
  // every proxied request (own-paths.ts): it is a router of its own, known by its prefix. With a
  // listener of its own (admin.listen) it is not served here, but its paths stay the gateway's: they
  // answer 404 and never reach an upstream.
  const { enabled, listen } = deps.config.admin;
  const admin = enabled && listen === null ? adminRouter(deps) : null;
  const find = routeFinder(deps, enabled ? (path, method) => isAdminPath(path) || isOwn(path, method) : isOwn);
  const routed = routedRequest(deps, {
    oauth1: oauth1CredentialCheck(deps),
    'oauth1-2legged': oauth1TwoLeggedCheck(deps),
    oauth2: bearerCredentialCheck(deps),
    ...issuerCredentialChecks(deps),
  });
  app.use(gatewayRouter(find, routed));
  app.entry = (koa) => proxiedEntry({ app, find, routed, refusal: [headers, errors], logger: deps.logger, accessLog: deps.accessLog, clock: deps.clock, trustedProxies, tracing: deps.tracing }, koa);
  app.use(own.routes());
  if (admin) app.use(admin.routes());
  app.use(ownMethodsOnly(own));
  app.use(notFound);
  return app;
}
