import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { randomToken, tokenDigest } from '../../crypto';
import type { ClientRow, UserRow } from '../../storage/types';
import { UNNAMED_REDIRECT_URI, codeLifetime } from '../authorization-codes';
import { issueTokens } from '../issue';
import { issuerFor } from '../issuer';
import { configuredLifetimes } from '../lifetimes';
import { formatScope } from '../scope';
import { loadSession } from '../../pages';
import { jwtAccessTokens, mintIdToken } from '../../oidc/tokens';
import type { AuthorizeRequest } from './request';
import { codeResponse, implicitResponse, type ResponseContext } from './response';

export function responseContext(ctx: Context, deps: Pick<GatewayDeps, 'origin'>, request: AuthorizeRequest): ResponseContext {
  return { redirectUri: request.redirectUri, state: request.state, issuer: issuerFor(ctx, deps) };
}

/**
 * The user allowed the request: issue what it asked for and return the redirect to the client.
 * A code is stored by digest with everything the token request is checked against; an implicit
 * access token is issued at once, without a refresh token (section 4.2.2).
 */
export async function grantResponse(ctx: Context, deps: GatewayDeps, client: ClientRow, user: UserRow, request: AuthorizeRequest): Promise<string> {
  const now = deps.clock();
  const to = responseContext(ctx, deps, request);
  // OpenID Connect auth_time: when this browser's sign-in happened (the session knows).
  const authTime = (await loadSession(ctx, deps)).user?.authTime ?? null;
  if (request.responseType === 'code') {
    const code = randomToken();
    await deps.store.authorizationCodes.insert({
      digest: tokenDigest(code),
      clientId: client.clientId,
      userId: user.id,
      redirectUri: request.redirectUriSent ? request.redirectUri : UNNAMED_REDIRECT_URI,
      scope: formatScope(request.scope),
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      expiresAt: now + codeLifetime(client, deps.config.lifetimes.authorizationCode) * 1000,
      consumedAt: null,
      createdAt: now,
      nonce: request.nonce ?? null,
      authTime,
    });
    ctx.state.log?.info({ clientId: client.clientId, userId: user.id }, 'oauth2 authorization code issued');
    return codeResponse(to, code);
  }
  const idToken = (accessToken: string | null) =>
    mintIdToken(deps.signingKeys, client, {
      issuer: to.issuer,
      clientId: client.clientId,
      user,
      scope: request.scope,
      now,
      lifetime: deps.config.lifetimes.idToken,
      nonce: request.nonce ?? null,
      authTime,
      accessToken,
    });
  if (request.responseType === 'id_token') {
    ctx.state.log?.info({ client_id: client.clientId, user_id: user.id, grant: 'implicit' }, 'openid connect id token issued');
    return implicitResponse(to, { scope: [], idToken: await idToken(null) });
  }
  const mint = jwtAccessTokens(deps.signingKeys, () => to.issuer);
  // Signed inside the transaction below, where the first keys can't be written: made before it.
  if (client.accessTokenFormat === 'jwt') await deps.signingKeys.ensure();
  const issued = await deps.store.transaction((tx) =>
    issueTokens(tx, { client, userId: user.id, scope: request.scope, grantType: 'implicit', refresh: false, issuer: to.issuer }, now, configuredLifetimes(deps.config.lifetimes), mint),
  );
  deps.metrics.tokensIssued.inc({ protocol: 'oauth2', grant: 'implicit' });
  ctx.state.log?.info({ clientId: client.clientId, userId: user.id, grant: 'implicit' }, 'oauth2 tokens issued');
  const withId = request.responseType === 'id_token token' ? await idToken(issued.accessToken) : undefined;
  return implicitResponse(to, { accessToken: issued.accessToken, expiresIn: issued.expiresIn, scope: issued.scope, idToken: withId });
}
