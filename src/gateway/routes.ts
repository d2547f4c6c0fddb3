import { routeSchema, type GatewayConfig, type RouteConfig } from '../config';
import type { CredentialKind } from '../config/schema';

export interface Route extends RouteConfig {
  /** The prefix without a trailing slash ("/" for the root); also the route's name in logs and metrics. */
  prefix: string;
  name: string;
  /** The prefix in lower case: paths are matched on it case-insensitively. */
  matchPrefix: string;
  /** The path of each of the route's upstream URLs, without a trailing slash: parsed once, not per request. */
  basePaths: ReadonlyMap<string, string>;
  /** The credential protocols of `accept`, in order, and whether it also admits no credential: read once, not per request. */
  protocols: readonly CredentialProtocol[];
  isPublic: boolean;
}

/** A credential check a route may run: every kind of `accept` but `public`. */
export type CredentialProtocol = Exclude<CredentialKind, 'public'>;

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The order the checks run in. A two-legged request (no oauth_token) is not the three-legged check's
 * to refuse when the route takes both, so the two-legged check, which passes over a request with a
 * token, goes first; otherwise the order of `accept`.
 */
function checkOrder(accept: readonly string[]): CredentialProtocol[] {
  const protocols = accept.filter((k): k is CredentialProtocol => k !== 'public');
  const twoLegged = protocols.indexOf('oauth1-2legged');
  const threeLegged = protocols.indexOf('oauth1');
  if (twoLegged > threeLegged && threeLegged >= 0) {
    protocols.splice(twoLegged, 1);
    protocols.splice(threeLegged, 0, 'oauth1-2legged');
  }
  return protocols;
}

/**
 * The route table, longest prefix first. `upstream` on its own (GATEWAY_UPSTREAM) is the default
 * route "/api" accepting both protocols, unless the table already has an "/api" route. The prefixes
 * were checked by the config schema (canonical, none twice whatever the case, trailing slash trimmed).
 */
export function routeTable(config: Pick<GatewayConfig, 'routes' | 'upstream'>): Route[] {
  const configured: RouteConfig[] = [...config.routes];
  if (config.upstream && !configured.some((r) => r.prefix.toLowerCase() === '/api')) {
    configured.push(routeSchema.parse({ prefix: '/api', upstream: config.upstream }));
  }
  const routes = configured.map((r) => {
    const basePaths = new Map([r.upstream, r.writeUpstream ?? r.upstream].map((url) => [url, basePathOf(url)]));
    const protocols = checkOrder(r.accept);
    return { ...r, name: r.prefix, matchPrefix: r.prefix.toLowerCase(), basePaths, protocols, isPublic: r.accept.includes('public') };
  });
  return routes.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** Matches on whole path segments: "/api" takes "/api" and "/api/x", never "/apix". Both sides in lower case. */
function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  return path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === 0x2f);
}

/**
 * The longest matching prefix (the table is sorted longest first), or null. Expects a normalised
 * path. Case-insensitive, because upstreams such as Koa's and Express's routers are: "/API/Admin"
 * must meet the "/api/admin" route's requirements, not the looser "/api" route's. A normalised path
 * is ASCII, so lower-casing keeps its length (stripPrefix cuts by it).
 */
export function matchRoute(routes: readonly Route[], path: string): Route | null {
  const key = path.toLowerCase();
  for (const route of routes) if (prefixMatches(route.matchPrefix, key)) return route;
  return null;
}

/** ClearPass "publisher": unsafe methods go to the write upstream when the route has one. */
export function upstreamFor(route: Route, method: string): string {
  return unsafeMethods.has(method.toUpperCase()) && route.writeUpstream ? route.writeUpstream : route.upstream;
}

function basePathOf(upstream: string): string {
  return new URL(upstream).pathname.replace(/\/+$/, '');
}

/** The path the upstream receives: its own base path, then the request path (minus the prefix if stripped). */
export function upstreamPath(route: Route, upstream: string, path: string, query: string): string {
  let rest = path;
  if (route.stripPrefix && route.prefix !== '/') rest = path.slice(route.prefix.length);
  const base = route.basePaths.get(upstream) ?? basePathOf(upstream);
  let joined = base + rest;
  if (joined === '') joined = '/';
  return query ? `${joined}?${query}` : joined;
}
