import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { clientAddress } from '../http/client-address';
import { noStore } from '../http/security-headers';
import { tokenExchange } from '../oauth2/exchange';
import type { IssuedTokens } from '../oauth2/issue';
import { readTokenParams } from '../oauth2/read-params';
import { formatScope } from '../oauth2/scope';
import { requireApiAccess } from './api-access';

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

/** POST /api/oauth: the same grants as /oauth2/token, for subjects with API access. */
export function clearpassToken(deps: GatewayDeps) {
  const { config } = deps;
  const admit = requireApiAccess(deps.store);
  const exchangeToken = tokenExchange(deps);
  return async function clearpassTokenHandler(ctx: Context): Promise<void> {
    ctx.state.routeName = 'clearpass.token';
    const params = await readTokenParams(ctx, { bodyLimitBytes: config.server.bodyLimitBytes, query: false });
    const issued = await exchangeToken({
      params,
      authorization: ctx.get('authorization') || undefined,
      clientAddress: clientAddress(ctx, config.server.trustedProxies),
      admit,
      requestId: ctx.state.requestId,
    });
    noStore(ctx);
    ctx.body = clearpassTokenResponse(issued);
    ctx.state.outcome = 'issued';
  };
}
