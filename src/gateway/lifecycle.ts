import type { GatewayDeps } from '../deps';
import { Upstreams } from './upstreams';

// One set of pools per deps object (one per running gateway), like the token cache: two gateways in
// one process (tests) don't share connections, and shutdown closes exactly this gateway's pools.
const pools = new WeakMap<GatewayDeps, Upstreams>();

export function upstreamsOf(deps: GatewayDeps): Upstreams {
  let upstreams = pools.get(deps);
  if (!upstreams) {
    upstreams = new Upstreams();
    pools.set(deps, upstreams);
  }
  return upstreams;
}

/** Closes the gateway's upstream connections (after the server stopped taking requests). */
export async function closeUpstreams(deps: GatewayDeps): Promise<void> {
  const upstreams = pools.get(deps);
  pools.delete(deps);
  await upstreams?.close();
}
