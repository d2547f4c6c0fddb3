import type { Context, Middleware, Next } from '../http/context';
import type { GatewayDeps } from '../deps';
import { outcomeOf, protocolErrorOf } from '../http/conditions';
import { ProtocolError } from '../http/protocol-error';
import { logExchange, recordMetrics } from './access-log';
import { authenticateCaller, checkRouteAccess, type CredentialChecks } from './route-access';
import { allowActualRequest, answerPreflight, isPreflight } from './cors';
import { queryWithoutCredentials } from './credentials';
import { headerPolicy, upstreamRequestHeaders, type HeaderPolicy } from './upstream-request';
import { normalisePath } from './path';
import { UpstreamFailure, proxyRequest } from './proxy';
import { matchRoute, routeTable, upstreamFor, upstreamPath, type Route } from './routes';

// TRACE would have an upstream echo the request back, cookies and headers included; CONNECT would open a
// tunnel past the gateway (node already closes such connections before Koa sees them: kept as a guard).
const refusedMethods = new Set(['TRACE', 'CONNECT']);

// 501, as @koa/router answers a method no endpoint implements: no resource behind the gateway takes these.
const methodNotImplemented = () => new ProtocolError('method_not_implemented', 'The gateway does not forward this method.', { status: 501 });

/** The outcome and status a refused or failed request ends with (the error mapper writes the answer). */
function failureOf(err: unknown): [string, number] {
  if (err instanceof UpstreamFailure) return ['upstream_error', err.response.status];
  const refusal = protocolErrorOf(err);
  return refusal ? [outcomeOf(refusal), refusal.status] : ['error', 500];
}

/** Authenticates the caller, checks that the route admits them, forwards the request and writes its access line. */
async function forward(deps: GatewayDeps, ctx: Context, route: Route, path: string, checks: CredentialChecks, policy: HeaderPolicy, started: number): Promise<string> {
  const identity = await authenticateCaller(deps, ctx, route, checks);
  checkRouteAccess(deps, route, identity);

  const headers = upstreamRequestHeaders(ctx, identity, route.forwardCredentials, policy);
  const query = queryWithoutCredentials(ctx.querystring, route.forwardCredentials);

  const upstream = upstreamFor(route, ctx.method);
  const result = await proxyRequest(
    ctx,
    deps.upstreams,
    {
      upstream,
      path: upstreamPath(route, upstream, path, query),
      headers,
      timeoutMs: route.timeoutSeconds * 1000,
      connectTimeoutMs: route.connectTimeoutSeconds * 1000,
      maxBodyBytes: route.maxBodyBytes,
      forwardCredentials: route.forwardCredentials,
    },
    deps.config.log.api === 'extended',
  );
  if (result.failure === 'client_closed') ctx.respond = false;
  else if (result.failure) deps.metrics.upstreamErrors.inc({ route: route.name, kind: result.failure });
  const outcome = result.failure === 'client_closed' ? 'client_closed' : result.failure ? 'upstream_error' : 'proxied';
  const totalMs = performance.now() - started;
  logExchange(deps, deps.accessLog, ctx, { route, outcome, status: result.status, upstreamMs: result.upstreamMs, bytes: result.bytes, failure: result.failure, totalMs });
  return outcome;
}

/**
 * The gateway: every path that is not one of the gateway's own endpoints (`isOwnPath`, matched on
 * the raw path as the routers match it) is matched against the route table (after TRACE and
 * CONNECT are refused and the path is checked for its one canonical spelling), answered for CORS
 * preflights, its caller authenticated by the route's protocols and checked against its privileges
 * and scopes, and proxied. Own endpoints and paths no route matches go on to the middleware after
 * it (the routers, then the app's 404).
 */
export function gatewayRouter(deps: GatewayDeps, checks: CredentialChecks, isOwnPath: (path: string, method: string) => boolean): Middleware {
  const routes = routeTable(deps.config);
  const { allowedOrigins } = deps.config.cors;
  const policy = headerPolicy(deps);

  return async function gatewayMiddleware(ctx: Context, next: Next): Promise<void> {
    if (isOwnPath(ctx.path, ctx.method)) return next();
    if (refusedMethods.has(ctx.method)) throw methodNotImplemented();
    const path = normalisePath(ctx.path);
    const route = matchRoute(routes, path);
    if (!route) return next();
    ctx.state.routeName = route.name;
    const started = performance.now();
    let outcome = 'rejected';
    let status = 500;
    try {
      if (isPreflight(ctx)) {
        answerPreflight(ctx, allowedOrigins);
        outcome = 'preflight';
        status = ctx.status;
        return;
      }
      allowActualRequest(ctx, allowedOrigins);
      outcome = await forward(deps, ctx, route, path, checks, policy, started);
      status = outcome === 'client_closed' ? 499 : ctx.res.statusCode;
    } catch (err) {
      [outcome, status] = failureOf(err);
      if (err instanceof UpstreamFailure) {
        deps.metrics.upstreamErrors.inc({ route: route.name, kind: err.kind });
        ctx.state.log?.warn({ route: route.name, failure: err.kind }, 'upstream failed');
        throw err.response;
      }
      throw err;
    } finally {
      ctx.state.outcome = outcome;
      recordMetrics(deps, route, outcome, status, (performance.now() - started) / 1000);
    }
  };
}
