import type { Context, Middleware, Next } from '../http/context';
import type { GatewayDeps } from '../deps';
import { outcomeOf, protocolErrorOf } from '../http/conditions';
import { ProtocolError } from '../http/protocol-error';
import { logExchange } from './access-log';
import { RouteMetrics } from './route-metrics';
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
  if (err instanceof UpstreamFailure) return [err.kind === 'client_body_timeout' ? 'client_timeout' : 'upstream_error', err.response.status];
  const refusal = protocolErrorOf(err);
  return refusal ? [outcomeOf(refusal), refusal.status] : ['error', 500];
}

/** Authenticates the caller, checks that the route admits them, forwards the request and writes its access line. */
async function forward(
  deps: GatewayDeps,
  ctx: Context,
  route: Route,
  path: string,
  checks: CredentialChecks,
  policy: HeaderPolicy,
  started: number,
  metrics: RouteMetrics,
): Promise<string> {
  // A route that is only public has no check to run: no promise and no turn of the microtask queue for it.
  const identity = route.protocols.length === 0 && route.isPublic ? null : await authenticateCaller(deps, ctx, route, checks);
  checkRouteAccess(deps, route, identity);

  const headers = upstreamRequestHeaders(ctx, identity, route.forwardCredentials, policy);
  const query = queryWithoutCredentials(ctx.querystring, route.forwardCredentials);

  const upstream = upstreamFor(route, ctx.method);
  const { tracing } = deps;
  // Tracing on: the upstream exchange is a child span, and the upstream receives its traceparent.
  const span = tracing ? tracing.startUpstream(ctx.state.span, upstream, ctx.method, headers) : undefined;
  let result: Awaited<ReturnType<typeof proxyRequest>>;
  try {
    result = await proxyRequest(
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
        anonymous: identity === null,
      },
      deps.config.log.api === 'extended',
    );
  } catch (err) {
    if (span) tracing!.endUpstream(span, 0, err instanceof UpstreamFailure ? err.kind : 'error');
    throw err;
  }
  if (span) tracing!.endUpstream(span, result.status, result.failure);
  if (result.failure === 'client_closed') ctx.respond = false;
  else if (result.failure) metrics.upstreamError(route, result.failure);
  const outcome =
    result.failure === 'client_closed' ? 'client_closed' : result.failure === 'client_body_timeout' ? 'client_timeout' : result.failure ? 'upstream_error' : 'proxied';
  const totalMs = performance.now() - started;
  logExchange(deps, deps.accessLog, ctx, { route, outcome, status: result.status, upstreamMs: result.upstreamMs, bytes: result.bytes, failure: result.failure, totalMs, identity });
  return outcome;
}

/** Takes a request the route table matched (path canonical, method not refused) to its end; refusals are thrown for the error mapper. */
export type RoutedRequest = (ctx: Context, route: Route, path: string) => Promise<void>;

/**
 * A matched request, from the CORS preflight or check to its metrics: its caller authenticated by
 * the route's protocols and checked against its privileges and scopes, then proxied. Shared by the
 * Koa middleware below and the lean entry for proxied requests (entry.ts).
 */
export function routedRequest(deps: GatewayDeps, checks: CredentialChecks): RoutedRequest {
  const { allowedOrigins } = deps.config.cors;
  const policy = headerPolicy(deps);
  const metrics = new RouteMetrics(deps.metrics);
  return async function routed(ctx: Context, route: Route, path: string): Promise<void> {
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
      outcome = await forward(deps, ctx, route, path, checks, policy, started, metrics);
      status = outcome === 'client_closed' ? 499 : ctx.res.statusCode;
    } catch (err) {
      [outcome, status] = failureOf(err);
      if (err instanceof UpstreamFailure) {
        metrics.upstreamError(route, err.kind);
        ctx.state.log?.warn({ route: route.name, failure: err.kind }, err.kind === 'client_body_timeout' ? 'request body stalled' : 'upstream failed');
        throw err.response;
      }
      throw err;
    } finally {
      ctx.state.outcome = outcome;
      metrics.request(route, outcome, status, (performance.now() - started) / 1000);
    }
  };
}

/**
 * The route a request goes to, or null when the gateway router passes it on: a path one of the
 * gateway's own endpoints matches (`isOwnPath`, matched on the raw path as the routers match it,
 * whatever the method, so a wrong one still gets 405) or no route matches. TRACE and CONNECT, and a
 * path not in its one canonical spelling, are refused (thrown).
 */
export type RouteFinder = (rawPath: string, method: string) => { route: Route; path: string } | null;

export function routeFinder(deps: GatewayDeps, isOwnPath: (path: string, method: string) => boolean): RouteFinder {
  const routes = routeTable(deps.config);
  return (rawPath, method) => {
    if (isOwnPath(rawPath, method)) return null;
    if (refusedMethods.has(method)) throw methodNotImplemented();
    const path = normalisePath(rawPath);
    const route = matchRoute(routes, path);
    return route ? { route, path } : null;
  };
}

/**
 * The gateway as Koa middleware: every path that is not one of the gateway's own endpoints is matched
 * against the route table and taken to its end (routedRequest); own endpoints and paths no route
 * matches go on to the middleware after it (the routers, then the app's 404). The server takes most
 * proxied requests before Koa (entry.ts); this one sees the rest and every request of an app used
 * without that entry.
 */
export function gatewayRouter(find: RouteFinder, routed: RoutedRequest): Middleware {
  return async function gatewayMiddleware(ctx: Context, next: Next): Promise<void> {
    const found = find(ctx.path, ctx.method);
    if (!found) return next();
    await routed(ctx, found.route, found.path);
  };
}
