import type { GatewayDeps } from '../deps';
import type { IssuedTokens } from '../oauth2/issue';
import { mintIdToken } from './tokens';

/**
 * OpenID Connect Core sections 3.1.3.3 and 12.2: a token response for a user whose grant holds the
 * `openid` scope carries an ID token (authorization code, device flow, refresh; password too, which
 * OpenID Connect does not forbid). A refreshed one has the same sub and no nonce. A token exchange
 * answers with its own token type, never an ID token.
 */
export async function withIdToken(deps: Pick<GatewayDeps, 'signingKeys' | 'store' | 'config' | 'clock'>, issued: IssuedTokens, issuer: string): Promise<IssuedTokens> {
  if (!issued.scope.includes('openid') || issued.userId === null || issued.client === undefined || issued.issuedTokenType !== undefined) return issued;
  const user = await deps.store.users.findById(issued.userId);
  if (!user) return issued;
  const idToken = await mintIdToken(deps.signingKeys, issued.client, {
    issuer,
    clientId: issued.client.clientId,
    user,
    scope: issued.scope,
    now: deps.clock(),
    lifetime: deps.config.lifetimes.idToken,
    nonce: issued.openid?.nonce ?? null,
    authTime: issued.openid?.authTime ?? null,
    accessToken: issued.accessToken,
  });
  return { ...issued, idToken };
}
