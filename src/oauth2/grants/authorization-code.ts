import { tokenDigest } from '../../crypto';
import type { AccessTokenRepository, AuthorizationCodeRepository, AuthorizationCodeRow, ClientRow, RefreshTokenRepository, UserRepository } from '../../storage/types';
import { UNNAMED_REDIRECT_URI } from '../authorization-codes';
import { OAuth2Error } from '../errors';
import { revokeFamily } from '../families';
import type { IssuedTokens } from '../issue';
import { issuesRefreshTokens } from '../lifetimes';
import { verifierMatches, type PkceMethod } from '../pkce';
import { scopeList } from '../scope';
import type { TokenParams } from '../params';
import type { Grant, GrantType, ReplayRevokingGrantDeps } from './types';

/** The tables a code redemption reads and writes, and those a replay revokes in. */
export interface CodeTables {
  authorizationCodes: Pick<AuthorizationCodeRepository, 'find' | 'consume'>;
  users: Pick<UserRepository, 'findById'>;
  accessTokens: Pick<AccessTokenRepository, 'insert' | 'revokeFamily' | 'revokeByCode'>;
  refreshTokens: Pick<RefreshTokenRepository, 'insert' | 'revokeFamily'>;
}

export type AuthorizationCodeGrantDeps = ReplayRevokingGrantDeps<CodeTables>;

export const AUTHORIZATION_CODE: GrantType = { grantType: 'authorization_code', registeredAs: 'authorization_code', metricName: 'authorization_code' };

type Outcome = { kind: 'issued'; issued: IssuedTokens } | { kind: 'invalid' } | { kind: 'replay' };

const invalidGrant = () => new OAuth2Error('invalid_grant', 'The authorization code is invalid, expired, already used or was issued to another client.');

/**
 * Section 4.1.3: the token request repeats the redirect_uri the authorization request named, exactly.
 * When it named none (the single registered URI was used), a redirect_uri may still be sent: then it
 * must be that URI.
 */
function redirectUriMatches(code: AuthorizationCodeRow, client: ClientRow, sent: string | undefined): boolean {
  if (code.redirectUri !== UNNAMED_REDIRECT_URI) return sent === code.redirectUri;
  return sent === undefined || (client.redirectUris.length === 1 && sent === client.redirectUris[0]);
}

/**
 * RFC 7636 section 4.6. A code issued without a challenge must not be redeemed with a verifier
 * either (RFC 9700 section 2.1.1: that is how a PKCE downgrade shows).
 */
function pkceMatches(code: AuthorizationCodeRow, verifier: string | undefined): boolean {
  if (code.codeChallenge === null) return verifier === undefined;
  if (verifier === undefined) return false;
  return verifierMatches(verifier, code.codeChallenge, (code.codeChallengeMethod ?? 'plain') as PkceMethod);
}

/** Every token that came from the code: its access tokens, and the refresh family it started. */
async function revokeCodeGrant(deps: AuthorizationCodeGrantDeps, codeDigest: string): Promise<void> {
  const digests = await deps.store.accessTokens.revokeByCode(codeDigest, deps.clock());
  await deps.revocations.tokensRevoked(digests);
  await revokeFamily(deps, codeDigest);
}

function checked(code: AuthorizationCodeRow | null, client: ClientRow, params: TokenParams, now: number): code is AuthorizationCodeRow {
  return (
    code !== null &&
    code.clientId === client.clientId &&
    code.expiresAt > now &&
    redirectUriMatches(code, client, params.get('redirect_uri')) &&
    pkceMatches(code, params.get('code_verifier'))
  );
}

/**
 * RFC 6749 section 4.1.3. A code is bound to its client, its redirect URI and its PKCE challenge,
 * and works once: the consume is one conditional UPDATE, so of concurrent redemptions exactly one
 * wins. Any second use (or a lost race) is invalid_grant and revokes every token the code produced
 * (section 4.1.2: the code may have leaked). The refresh family of a code is named by the code's
 * digest, so the revocation reaches tokens refreshed since.
 */
export function authorizationCodeGrant(deps: AuthorizationCodeGrantDeps): Grant {
  return {
    ...AUTHORIZATION_CODE,
    async handle({ client, params, admit, issuer }) {
      const digest = tokenDigest(params.require('code'));
      const now = deps.clock();

      const outcome = await deps.store.transaction(async (tx): Promise<Outcome> => {
        const code = await tx.authorizationCodes.find(digest);
        if (code && code.clientId === client.clientId && code.consumedAt !== null) return { kind: 'replay' };
        if (!checked(code, client, params, now)) return { kind: 'invalid' };
        const user = await tx.users.findById(code.userId);
        if (!user || !user.enabled) return { kind: 'invalid' };
        await admit?.({ client, user });
        if (!(await tx.authorizationCodes.consume(digest, now))) return { kind: 'replay' };
        const refresh = issuesRefreshTokens(client);
        const issued = await deps.issuer.issueIn(
          tx,
          {
            client,
            userId: user.id,
            scope: scopeList(code.scope),
            grantType: 'authorization_code',
            refresh,
            familyId: refresh ? digest : null,
            codeDigest: digest,
            issuer,
          },
          now,
        );
        return { kind: 'issued', issued: { ...issued, openid: { nonce: code.nonce ?? null, authTime: code.authTime ?? null } } };
      });

      if (outcome.kind === 'issued') return outcome.issued;
      if (outcome.kind === 'replay') {
        await revokeCodeGrant(deps, digest);
        deps.logger.warn({ clientId: client.clientId }, 'authorization code reused: revoked every token issued from it');
      }
      throw invalidGrant();
    },
  };
}
