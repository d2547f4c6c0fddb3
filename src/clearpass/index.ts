import Router from '@koa/router';
import type { Context, Next, RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { cors } from '../cors';
import { answersIn } from '../http/error-format';
import { acceptsJson } from './accept';
import { clearpassPrivileges } from './privileges';
import { notAcceptable } from './problem';
import { clearpassToken } from './token';

export const CLEARPASS_TOKEN_PATH = '/api/oauth';
export const CLEARPASS_PRIVILEGES_PATH = '/api/oauth/privileges';

/** ClearPass answers only JSON: a request that accepts nothing like it gets 406 before any work. */
async function negotiate(ctx: Context, next: Next): Promise<void> {
  if (!acceptsJson(ctx.get('accept') || undefined)) throw notAcceptable();
  await next();
}

/**
 * The ClearPass-compatible API (POST /api/oauth, GET /api/oauth/privileges). Mount it before the
 * proxy: these paths sit under the /api prefix a route table usually sends upstream.
 */
export function clearpassRouter(deps: GatewayDeps): Router {
  const { allowedOrigins } = deps.config.cors;
  const router = new Router<RequestState>();
  // Every refusal on the ClearPass API, whatever raised it, leaves as Problem Details.
  const problemDetails = answersIn('problem-details');
  const tokenCors = cors({ allowedOrigins, methods: ['POST'] });
  const privilegesCors = cors({ allowedOrigins, methods: ['GET'] });
  router.options(CLEARPASS_TOKEN_PATH, tokenCors);
  router.post(CLEARPASS_TOKEN_PATH, problemDetails, tokenCors, negotiate, clearpassToken(deps));
  router.options(CLEARPASS_PRIVILEGES_PATH, privilegesCors);
  router.get(CLEARPASS_PRIVILEGES_PATH, problemDetails, privilegesCors, negotiate, clearpassPrivileges(deps));
  return router;
}

export { acceptsJson } from './accept';
export { PROBLEM_TYPE } from './problem';
export { API_ACCESS_PRIVILEGE } from './api-access';
