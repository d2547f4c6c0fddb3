import { randomUUID } from 'node:crypto';
import type { GatewayConfig } from '../config';
import { randomToken, tokenDigest } from '../crypto';
import type { ClientRow, Repositories } from '../storage/types';
import { accessTokenLifetime, refreshTokenLifetime } from './lifetimes';
import { formatScope } from './scope';

/** What a grant hands back: the token values exist only here and in the response, never stored. */
export interface IssuedTokens {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string | null;
  scope: string[];
  userId: string | null;
}

export interface IssueInput {
  client: ClientRow;
  userId: string | null;
  scope: string[];
  /** The grant_type that produced the tokens (kept on the access token for audits). */
  grantType: string;
  /** Issue a refresh token too. */
  refresh: boolean;
  /** The refresh-token family to continue; a new family is started when absent and refresh is set. */
  familyId?: string | null;
  /** The scope the refresh token carries, when it differs from the access token's (a narrowed refresh). */
  refreshScope?: string[];
  /** The authorization code the tokens came from (so a replayed code can revoke them). */
  codeDigest?: string | null;
}

/**
 * Stores a new access token (and refresh token) by digest. Call it inside the grant's transaction
 * whenever it writes more than the access token alone.
 */
export async function issueTokens(repos: Repositories, input: IssueInput, now: number, config: GatewayConfig): Promise<IssuedTokens> {
  const accessToken = randomToken();
  const expiresIn = accessTokenLifetime(input.client, config);
  const familyId = input.refresh ? (input.familyId ?? randomUUID()) : (input.familyId ?? null);
  await repos.accessTokens.insert({
    digest: tokenDigest(accessToken),
    clientId: input.client.clientId,
    userId: input.userId,
    scope: formatScope(input.scope),
    grantType: input.grantType,
    familyId,
    codeDigest: input.codeDigest ?? null,
    expiresAt: now + expiresIn * 1000,
    revokedAt: null,
    createdAt: now,
  });
  let refreshToken: string | null = null;
  if (input.refresh && familyId !== null) {
    refreshToken = randomToken();
    await repos.refreshTokens.insert({
      digest: tokenDigest(refreshToken),
      familyId,
      clientId: input.client.clientId,
      userId: input.userId,
      scope: formatScope(input.refreshScope ?? input.scope),
      expiresAt: now + refreshTokenLifetime(input.client, config) * 1000,
      rotatedAt: null,
      revokedAt: null,
      createdAt: now,
    });
  }
  return { accessToken, expiresIn, refreshToken, scope: input.scope, userId: input.userId };
}

/** RFC 6749 section 5.1 response body. The scope is left out when empty (it has no empty form). */
export function tokenResponse(issued: IssuedTokens): Record<string, string | number> {
  const body: Record<string, string | number> = {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
  };
  if (issued.refreshToken !== null) body.refresh_token = issued.refreshToken;
  if (issued.scope.length > 0) body.scope = formatScope(issued.scope);
  return body;
}
