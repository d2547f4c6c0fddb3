import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { cors } from '../../cors';
import { clientAddress } from '../../http/client-address';
import { answersIn } from '../../http/error-format';
import { noStore } from '../../http/middleware/no-store';
import { routeName } from '../../http/middleware/route-name';
import { CLIENT_AUTH_METHODS, parseClientCredentials, type ClientCredentials } from '../client-auth';
import type { ClientRow } from '../../storage/types';
import { grantCollaborators, tokenExchange, type ExchangeToken, type TokenExchange } from '../exchange';
import { GrantRegistry } from '../grants';
import { tokenResponse } from '../issue';
import { readTokenParams, tokenParamsOf } from '../middleware/read-token-params';
import { issuerFor } from '../issuer';
import { withIdToken } from '../../oidc/id-token-response';
import { oauth1Signature } from '../token-exchange/oauth1-proof';
import { SUBJECT_TOKEN_TYPES } from '../token-exchange/types';
import type { OAuth2Endpoint } from './types';

export const TOKEN_PATH = '/oauth2/token';

/** The token request a Koa request makes, for the exchange (shared with the ClearPass token endpoint). */
export function tokenRequestOf(ctx: Context, deps: Pick<GatewayDeps, 'config'>): TokenExchange {
  return {
    params: tokenParamsOf(ctx),
    authorization: ctx.get('authorization') || undefined,
    clientAddress: clientAddress(ctx, deps.config.server.trustedProxies),
    requestId: ctx.state.requestId,
  };
}

/** The client credentials the request carries, or null when it carries none or malformed ones. */
export function sentCredentials(request: TokenExchange, realm: string): ClientCredentials | null {
  try {
    return parseClientCredentials(request.authorization, request.params, realm);
  } catch {
    return null;
  }
}

function issueTokens(deps: GatewayDeps, exchangeToken: ExchangeToken): Middleware {
  return async function issueTokens(ctx: Context): Promise<void> {
    // Only this endpoint has the signed request at hand for the bridge's OAuth 1.0a signature.
    const request = tokenRequestOf(ctx, deps);
    const authenticated = (client: ClientRow) => {
      ctx.state.client = client;
    };
    const issuer = issuerFor(ctx, deps);
    try {
      const issued = await exchangeToken({ ...request, oauth1Signature: oauth1Signature(ctx, deps), issuer, authenticated });
      ctx.body = tokenResponse(await withIdToken(deps, issued, issuer));
    } catch (err) {
      // The access line of a refusal names the client_id the request sent, authenticated or not (an id, not a secret).
      if (!ctx.state.client) ctx.state.clientCredentials = sentCredentials(request, deps.config.oauth2.realm);
      throw err;
    }
    ctx.state.outcome = 'issued';
  };
}

/**
 * POST /oauth2/token (RFC 6749 section 3.2), form or JSON body. The exchange authenticates the
 * client itself, after picking the grant (an unknown grant_type is named before a bad client). GET
 * with query parameters is the legacy switch for WebEx-style clients (oauth2.legacyGetTokenRequests);
 * with it on, a POST's query parameters count too. Off, GET is 405.
 */
export function tokenEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  const { config } = deps;
  const legacy = config.oauth2.legacyGetTokenRequests;
  const grants = GrantRegistry.build(grantCollaborators(deps));
  const pipeline = [readTokenParams({ bodyLimitBytes: config.server.bodyLimitBytes, bodies: deps.bufferedBodies, query: legacy }), noStore, issueTokens(deps, tokenExchange(deps, grants))];
  const methods = legacy ? { POST: pipeline, GET: pipeline } : { POST: pipeline };
  return {
    paths: [TOKEN_PATH],
    common: [routeName('oauth2.token'), answersIn('oauth2'), cors({ allowedOrigins: config.cors.allowedOrigins, methods: Object.keys(methods) })],
    methods,
    announces: {
      as: 'token_endpoint',
      supports: {
        grant_types_supported: grants.grantTypes,
        token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
        // Not an RFC 8414 name (none is registered for RFC 8693): the gateway's own, so clients can find its OAuth 1.0a token type.
        token_exchange_subject_token_types_supported: [...SUBJECT_TOKEN_TYPES],
      },
    },
  };
}
