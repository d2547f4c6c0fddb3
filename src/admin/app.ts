import Koa from 'koa';
import type { GatewayDeps } from '../deps';
import type { RequestState } from '../http/context';
import { EndpointMetrics } from '../http/endpoint-metrics';
import { errorMapper } from '../http/errors';
import { notFound } from '../http/not-found';
import { requestContext } from '../http/request-context';
import { securityHeaders } from '../http/security-headers';
import { brandAssets, pageChrome } from '../pages';
import { adminRouter } from './router';

/**
 * The app of the admin listener (config admin.listen): the admin API, its OpenAPI document and the
 * explorer, and nothing else: no protocol endpoint, no page, no route to an upstream. The same outer
 * layers as the main app (request id and access line, security headers, the one error mapper), so
 * its answers and log lines look the same.
 */
export function createAdminApp(deps: GatewayDeps): Koa<RequestState> {
  const app = new Koa<RequestState>({ proxy: false });
  app.silent = true; // errors are logged by the error mapper, with redaction
  const { trustedProxies } = deps.config.server;
  app.use(requestContext(deps.logger, deps.accessLog, deps.clock, { endpoints: new EndpointMetrics(deps.metrics), trustedProxies, tracing: deps.tracing }));
  app.use(securityHeaders({ https: deps.origin.configured?.https === true }));
  app.use(pageChrome(deps.config, brandAssets(deps.config)));
  app.use(errorMapper({ oauth1Realm: deps.config.oauth1.realm, outages: deps.outages, metrics: deps.metrics }));
  app.use(adminRouter(deps).routes());
  app.use(notFound);
  return app;
}
