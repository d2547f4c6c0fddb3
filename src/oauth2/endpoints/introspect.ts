import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { cors } from '../../cors';
import { answersIn } from '../../http/error-format';
import { noStore } from '../../http/middleware/no-store';
import { routeName } from '../../http/middleware/route-name';
import { introspect } from '../introspection';
import { clientAuthMethods, clientOf, clientRequest, type ClientAuthOptions } from '../middleware/authenticate-client';
import { tokenParamsOf } from '../middleware/read-token-params';
import type { OAuth2Endpoint } from './types';

export const INTROSPECTION_PATH = '/oauth2/introspect';

// Introspection reveals who holds a token, so only confidential clients may call it.
const clientAuth: ClientAuthOptions = { confidentialOnly: true };

function answerIntrospection(deps: GatewayDeps): Middleware {
  return async function answerIntrospection(ctx: Context): Promise<void> {
    const params = tokenParamsOf(ctx);
    const token = params.require('token');
    ctx.body = await introspect(deps.store, clientOf(ctx), token, params.get('token_type_hint'), deps.clock());
  };
}

/** POST /oauth2/introspect (RFC 7662), for authenticated confidential clients, about their own tokens. */
export function introspectionEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  const { config } = deps;
  return {
    paths: [INTROSPECTION_PATH],
    common: [routeName('oauth2.introspect'), answersIn('oauth2'), cors({ allowedOrigins: config.cors.allowedOrigins, methods: ['POST'] })],
    methods: {
      POST: [...clientRequest(deps, clientAuth), noStore, answerIntrospection(deps)],
    },
    announces: { as: 'introspection_endpoint', supports: { introspection_endpoint_auth_methods_supported: clientAuthMethods(clientAuth) } },
  };
}
