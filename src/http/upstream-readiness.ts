import { request } from 'undici';
import type { RouteConfig } from '../config/schema';

/** One upstream /readyz asks, named by the route that opted in (its prefix). */
export interface ReadinessTarget {
  route: string;
  upstream: string;
}

/** The upstreams of the routes with `readiness: true`, each origin once per route (upstream, then write upstream). */
export function readinessTargets(routes: readonly RouteConfig[]): ReadinessTarget[] {
  const targets: ReadinessTarget[] = [];
  for (const route of routes) {
    if (!route.readiness) continue;
    for (const upstream of new Set([route.upstream, route.writeUpstream].filter((u): u is string => u !== null))) {
      targets.push({ route: route.prefix, upstream });
    }
  }
  return targets;
}

/**
 * Whether the upstream answers HTTP at all: any status counts (a 404 for its root is still a
 * running service); a refused connection, a reset or no headers within the deadline do not. A GET
 * without credentials to the upstream's own URL, so nothing the gateway holds is sent.
 */
export async function upstreamAnswers(upstream: string, deadlineMs: number): Promise<boolean> {
  try {
    const answer = await request(upstream, { method: 'GET', headersTimeout: deadlineMs, bodyTimeout: deadlineMs, signal: AbortSignal.timeout(deadlineMs) });
    await answer.body.dump();
    return true;
  } catch {
    return false;
  }
}
