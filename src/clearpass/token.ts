import type { Context, Middleware } from '../http/context';
import type { GatewayDeps } from '../deps';
import { cors } from '../cors';
import type { Endpoint } from '../http/endpoint';
import { answersIn } from '../http/error-format';
import { noStore } from '../http/middleware/no-store';
import { routeName } from '../http/middleware/route-name';
import { sentCredentials, tokenRequestOf } from '../oauth2/endpoints/token';
import type { ClientRow } from '../storage/types';
import { tokenExchange } from '../oauth2/exchange';
import type { IssuedTokens } from '../oauth2/issue';
import { readTokenParams } from '../oauth2/middleware/read-token-params';
import { formatScope } from '../oauth2/scope';
import { negotiateJson } from './accept';
import { requireApiAccess } from './api-access';

export const CLEARPASS_TOKEN_PATH = '/api/oauth';

/** The token response in the ClearPass guide's shape and order: scope is null when there is none. */
export function clearpassTokenResponse(issued: IssuedTokens): Record<string, string | number | null> {
  const body: Record<string, string | number | null> = {
    access_token: issued.accessToken,
    expires_in: issued.expiresIn,
    token_type: 'Bearer',
    scope: issued.scope.length > 0 ? formatScope(issued.scope) : null,
  };
  if (issued.refreshToken !== null) body.refresh_token = issued.refreshToken;
  return body;
}

function issueTokens(deps: GatewayDeps): Middleware {
  const admit = requireApiAccess(deps.store);
  const exchangeToken = tokenExchange(deps);
  return async function issueClearpassTokens(ctx: Context): Promise<void> {
    const request = tokenRequestOf(ctx, deps);
    const authenticated = (client: ClientRow) => {
      ctx.state.client = client;
    };
    try {
      ctx.body = clearpassTokenResponse(await exchangeToken({ ...request, admit, authenticated }));
    } catch (err) {
      // As at /oauth2/token: the access line of a refusal names the client_id the request sent (an id, not a secret).
      if (!ctx.state.client) ctx.state.clientCredentials = sentCredentials(request, deps.config.oauth2.realm);
      throw err;
    }
    ctx.state.outcome = 'issued';
  };
}

/** POST /api/oauth: the same grants as /oauth2/token (JSON or form body), for subjects with API access. */
export function clearpassTokenEndpoint(deps: GatewayDeps): Endpoint {
  const { config } = deps;
  return {
    paths: [CLEARPASS_TOKEN_PATH],
    // Every refusal on the ClearPass API, whatever raised it, leaves as Problem Details.
    common: [routeName('clearpass.token'), answersIn('problem-details'), cors({ allowedOrigins: config.cors.allowedOrigins, methods: ['POST'] })],
    methods: { POST: [negotiateJson, readTokenParams({ bodyLimitBytes: config.server.bodyLimitBytes, bodies: deps.bufferedBodies, query: false }), noStore, issueTokens(deps)] },
  };
}
