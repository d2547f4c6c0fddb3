import type { GatewayConfig } from './config';
import { routeTable } from './gateway/routes';

/** A route as operators read it (`routes list`, GET /admin/api/v1/routes): the table the gateway matches, longest prefix first. */
export interface RouteView {
  prefix: string;
  upstream: string;
  writeUpstream: string | null;
  accept: string[];
  privileges: string[];
  scopes: string[];
  stripPrefix: boolean;
  forwardCredentials: boolean;
  timeoutSeconds: number;
}

export function routeViews(config: Pick<GatewayConfig, 'routes' | 'upstream'>): RouteView[] {
  return routeTable(config).map((r) => ({
    prefix: r.prefix,
    upstream: r.upstream,
    writeUpstream: r.writeUpstream,
    accept: [...r.accept],
    privileges: [...r.privileges],
    scopes: [...r.scopes],
    stripPrefix: r.stripPrefix,
    forwardCredentials: r.forwardCredentials,
    timeoutSeconds: r.timeoutSeconds,
  }));
}
