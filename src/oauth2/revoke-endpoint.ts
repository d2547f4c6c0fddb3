import Router from '@koa/router';
import type { RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { cors } from '../cors';
import { answersIn } from '../http/error-format';
import { noStore } from '../http/security-headers';
import { authenticatedCaller } from './caller';
import { revokeToken } from './revocation-request';
import { readTokenParams } from './read-params';

export const REVOCATION_PATH = '/oauth2/revoke';

/**
 * POST /oauth2/revoke (RFC 7009): 200 whether or not the token existed, so nothing is learned from it.
 * The body is an empty JSON object: RFC 7009 leaves it open, and client libraries that read every
 * answer of the authorization server as JSON (simple-oauth2's revokeAll) throw on an empty text
 * answer, before they revoke the refresh token.
 */
export function revocationRouter(deps: GatewayDeps): Router {
  const { config } = deps;
  const router = new Router<RequestState>();
  const allowCors = cors({ allowedOrigins: config.cors.allowedOrigins, methods: ['POST'] });
  router.options(REVOCATION_PATH, allowCors);
  router.post(REVOCATION_PATH, answersIn('oauth2'), allowCors, async (ctx) => {
    ctx.state.routeName = 'oauth2.revoke';
    const params = await readTokenParams(ctx, { bodyLimitBytes: config.server.bodyLimitBytes, query: false });
    const caller = await authenticatedCaller(deps, ctx, params, { confidentialOnly: false });
    const token = params.require('token');
    await revokeToken(deps, caller, token, params.get('token_type_hint'));
    noStore(ctx);
    ctx.status = 200;
    ctx.body = {};
  });
  return router;
}
