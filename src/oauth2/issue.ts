import { randomUUID } from 'node:crypto';
import { randomToken, tokenDigest } from '../crypto';
import type { AccessTokenRepository, ClientRow, RefreshTokenRepository } from '../storage/types';
import type { LifetimePolicy } from './lifetimes';
import { formatScope } from './scope';
import type { AccessTokenMinter } from '../oidc/tokens';

/** What a grant hands back: the token values exist only here and in the response, never stored. */
export interface IssuedTokens {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string | null;
  scope: string[];
  userId: string | null;
  /** RFC 8693 section 2.2.1 issued_token_type, answered by a token exchange only. */
  issuedTokenType?: string;
  /** The client they were issued to (the token endpoint signs an ID token for it). */
  client?: ClientRow;
  /** OpenID Connect: what the ID token repeats from the authorization (code grant only). */
  openid?: { nonce: string | null; authTime: number | null };
  /** OpenID Connect: the ID token, once the token endpoint signed one. */
  idToken?: string;
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
  /** Epoch ms the access token may not outlive (a token exchanged for a narrower one). */
  notAfter?: number;
  /** The issuer identifier the request was answered under (the iss of a JWT access token). */
  issuer?: string;
}

/** Where new tokens are written: the store, or the transaction of a grant that consumes something first. */
export interface TokenWrites {
  accessTokens: Pick<AccessTokenRepository, 'insert'>;
  refreshTokens: Pick<RefreshTokenRepository, 'insert'>;
}

/**
 * Makes and stores tokens under the lifetime policy; what the grants are given instead of the store's
 * token tables. Times come from the grant (the `now` it checked its code or refresh token against).
 */
export interface TokenIssuer {
  /**
   * Issues on its own: new rows only, each one INSERT that joins the store's group commit (one commit
   * for every request of a batch). The access and refresh rows need no transaction of their own:
   * nobody holds either token before the answer, which is sent after both rows are committed.
   */
  issue(input: IssueInput, now: number): Promise<IssuedTokens>;
  /** Issues inside a grant's transaction, so the tokens commit together with what the grant consumed. */
  issueIn(tx: TokenWrites, input: IssueInput, now: number): Promise<IssuedTokens>;
}

/** The token tables: all of the store an issuer writes to. */
export type TokenStore = TokenWrites;

/** The issuer over a store. Built once (it holds nothing but the store and the policy). */
export function tokenIssuer(store: TokenStore, lifetimes: LifetimePolicy, mint?: AccessTokenMinter): TokenIssuer {
  return {
    issue(input, now) {
      return issueTokens(store, input, now, lifetimes, mint);
    },
    issueIn(tx, input, now) {
      return issueTokens(tx, input, now, lifetimes, mint);
    },
  };
}

/**
 * Stores a new access token (and refresh token) by digest: inside a grant's transaction when the
 * grant consumed something first (a code, a refresh token), on the store otherwise.
 */
export async function issueTokens(repos: TokenWrites, input: IssueInput, now: number, lifetimesOf: LifetimePolicy, mint?: AccessTokenMinter): Promise<IssuedTokens> {
  const lifetimes = lifetimesOf(input.client);
  const expiresIn = input.notAfter === undefined ? lifetimes.accessToken : Math.max(0, Math.min(lifetimes.accessToken, Math.floor((input.notAfter - now) / 1000)));
  // A client registered for RFC 9068 gets a signed JWT; stored by digest like a random token.
  const accessToken = (await mint?.({ client: input.client, userId: input.userId, scope: input.scope, issuer: input.issuer, expiresIn, now })) ?? randomToken();
  const familyId = input.refresh ? (input.familyId ?? randomUUID()) : (input.familyId ?? null);
  // Both INSERTs at once: outside a transaction they join the same batch of the group commit.
  const writes: Array<Promise<void>> = [];
  writes.push(repos.accessTokens.insert({
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
  }));
  let refreshToken: string | null = null;
  if (input.refresh && familyId !== null) {
    refreshToken = randomToken();
    writes.push(repos.refreshTokens.insert({
      digest: tokenDigest(refreshToken),
      familyId,
      clientId: input.client.clientId,
      userId: input.userId,
      scope: formatScope(input.refreshScope ?? input.scope),
      expiresAt: now + lifetimes.refreshToken * 1000,
      rotatedAt: null,
      revokedAt: null,
      createdAt: now,
    }));
  }
  await Promise.all(writes);
  return { accessToken, expiresIn, refreshToken, scope: input.scope, userId: input.userId, client: input.client };
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
  if (issued.issuedTokenType !== undefined) body.issued_token_type = issued.issuedTokenType;
  if (issued.idToken !== undefined) body.id_token = issued.idToken;
  return body;
}
