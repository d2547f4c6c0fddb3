import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { cors } from '../../cors';
import { answersIn } from '../../http/error-format';
import { noStore } from '../../http/middleware/no-store';
import { routeName } from '../../http/middleware/route-name';
import { clientAuthMethods, clientOf, clientRequest, type ClientAuthOptions } from '../middleware/authenticate-client';
import { tokenParamsOf } from '../middleware/read-token-params';
import { revokeToken } from '../revocation-request';
import type { OAuth2Endpoint } from './types';

export const REVOCATION_PATH = '/oauth2/revoke';

// A public client may revoke its own tokens: the token itself is the proof (RFC 7009 section 5).
const clientAuth: ClientAuthOptions = { confidentialOnly: false };

/**
 * 200 whether or not the token existed, so nothing is learned from it. The body is an empty JSON
 * object: RFC 7009 leaves it open, and client libraries that read every answer of the authorization
 * server as JSON (simple-oauth2's revokeAll) throw on an empty text answer, before they revoke the
 * refresh token.
 */
function answerRevocation(deps: GatewayDeps): Middleware {
  return async function answerRevocation(ctx: Context): Promise<void> {
    const params = tokenParamsOf(ctx);
    const token = params.require('token');
    await revokeToken(deps, clientOf(ctx), token, params.get('token_type_hint'));
    ctx.status = 200;
    ctx.body = {};
  };
}

/** POST /oauth2/revoke (RFC 7009). */
export function revocationEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  const { config } = deps;
  return {
    paths: [REVOCATION_PATH],
    common: [routeName('oauth2.revoke'), answersIn('oauth2'), cors({ allowedOrigins: config.cors.allowedOrigins, methods: ['POST'] })],
    methods: {
      POST: [...clientRequest(deps, clientAuth), noStore, answerRevocation(deps)],
    },
    announces: { as: 'revocation_endpoint', supports: { revocation_endpoint_auth_methods_supported: clientAuthMethods(clientAuth) } },
  };
}
