import Router from '@koa/router';
import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { cors } from '../cors';
import { clientAddress } from '../http/client-address';
import { answersIn } from '../http/error-format';
import { noStore } from '../http/security-headers';
import { OAuth2Error } from './errors';
import { tokenExchange } from './exchange';
import { tokenResponse } from './issue';
import { readTokenParams } from './read-params';

export const TOKEN_PATH = '/oauth2/token';

/**
 * POST /oauth2/token (RFC 6749 section 3.2), form or JSON body. GET with query parameters is the
 * legacy switch for WebEx-style clients (oauth2.legacyGetTokenRequests); with it on, a POST's query
 * parameters count too. Off, GET is 405.
 */
export function tokenRouter(deps: GatewayDeps): Router {
  const { config } = deps;
  const legacy = config.oauth2.legacyGetTokenRequests;
  const router = new Router();
  const exchangeToken = tokenExchange(deps);
  const allowCors = cors({ allowedOrigins: config.cors.allowedOrigins, methods: legacy ? ['POST', 'GET'] : ['POST'] });

  async function token(ctx: Context): Promise<void> {
    ctx.state.routeName = 'oauth2.token';
    if (ctx.method !== 'POST' && !legacy) {
      throw new OAuth2Error('invalid_request', 'The token endpoint takes POST requests.', { status: 405, headers: { Allow: 'POST' } });
    }
    const params = await readTokenParams(ctx, { bodyLimitBytes: config.server.bodyLimitBytes, query: legacy });
    const issued = await exchangeToken({
      params,
      authorization: ctx.get('authorization') || undefined,
      clientAddress: clientAddress(ctx, config.server.trustedProxies),
      requestId: ctx.state.requestId,
    });
    noStore(ctx);
    ctx.body = tokenResponse(issued);
    ctx.state.outcome = 'issued';
  }

  const oauth2 = answersIn('oauth2');
  router.options(TOKEN_PATH, allowCors);
  router.post(TOKEN_PATH, oauth2, allowCors, token);
  router.get(TOKEN_PATH, oauth2, allowCors, token);
  return router;
}
