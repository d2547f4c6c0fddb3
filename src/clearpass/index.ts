import Router from '@koa/router';
import type { RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { mountEndpoint } from '../http/endpoint';
import { clearpassPrivilegesEndpoint } from './privileges';
import { clearpassTokenEndpoint } from './token';

/**
 * The ClearPass-compatible API (POST /api/oauth, GET /api/oauth/privileges). Mounted among the
 * gateway's own endpoints, which win over the route table: these paths sit under the /api prefix a
 * route table usually sends upstream.
 */
export function clearpassRouter(deps: GatewayDeps): Router<RequestState> {
  const router = new Router<RequestState>();
  for (const endpoint of [clearpassTokenEndpoint(deps), clearpassPrivilegesEndpoint(deps)]) mountEndpoint(router, endpoint);
  return router;
}

export { acceptsJson } from './accept';
export { PROBLEM_TYPE } from './problem';
export { API_ACCESS_PRIVILEGE } from './api-access';
