import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { GatewayDeps } from '../deps';
import { cors } from '../cors';
import { acceptsJson } from './accept';
import { problemDetails } from './errors';
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
  const router = new Router();
  const tokenCors = cors({ allowedOrigins, methods: ['POST'] });
  const privilegesCors = cors({ allowedOrigins, methods: ['GET'] });
  router.options(CLEARPASS_TOKEN_PATH, tokenCors);
  router.post(CLEARPASS_TOKEN_PATH, tokenCors, problemDetails, negotiate, clearpassToken(deps));
  router.options(CLEARPASS_PRIVILEGES_PATH, privilegesCors);
  router.get(CLEARPASS_PRIVILEGES_PATH, privilegesCors, problemDetails, negotiate, clearpassPrivileges(deps));
  return router;
}

export { acceptsJson } from './accept';
export { ProblemError, PROBLEM_TYPE } from './problem';
export { API_ACCESS_PRIVILEGE } from './api-access';
