import { createHash } from 'node:crypto';
import type { UserRow } from '../storage/types';

// OpenID Connect Core claims as pure functions of their inputs: no keys, no store, the time given.

/** Section 5.4: the claims each scope asks for. `sub` is always there (section 5.3.2). */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: ['name', 'preferred_username', 'updated_at'],
  email: ['email', 'email_verified'],
};

export const CLAIMS_SUPPORTED = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'azp', 'at_hash', 'c_hash', ...SCOPE_CLAIMS.profile, ...SCOPE_CLAIMS.email];

export type ClaimsUser = Pick<UserRow, 'id' | 'username' | 'displayName' | 'email' | 'createdAt' | 'updatedAt' | 'source'>;

/**
 * The user's claims the granted scopes allow: sub always (the user's id: stable, never reassigned,
 * unlike a username); profile and email only when granted, and only the ones the user has.
 */
export function userClaims(user: ClaimsUser, scope: readonly string[]): Record<string, string | number | boolean> {
  const claims: Record<string, string | number | boolean> = { sub: user.id };
  if (scope.includes('profile')) {
    if (user.displayName) claims.name = user.displayName;
    claims.preferred_username = user.username;
    claims.updated_at = Math.floor((user.updatedAt ?? user.createdAt) / 1000);
  }
  if (scope.includes('email') && user.email) {
    claims.email = user.email;
    // An operator typed it (or the directory holds it): nobody proved the user receives mail there.
    claims.email_verified = user.source === 'ldap';
  }
  return claims;
}

/**
 * Section 3.1.3.6 at_hash / 3.3.2.11 c_hash: the left half of the hash of the value's ASCII octets,
 * base64url. The hash is the one of the signature algorithm: SHA-256 for RS256 and ES256.
 */
export function halfHash(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export interface IdTokenInput {
  issuer: string;
  clientId: string;
  user: ClaimsUser;
  scope: readonly string[];
  /** Epoch ms. */
  now: number;
  /** Seconds. */
  lifetime: number;
  nonce?: string | null;
  /** Epoch ms the user signed in; left out when unknown. */
  authTime?: number | null;
  /** The access token issued beside it (at_hash). */
  accessToken?: string | null;
  /** The code issued beside it (c_hash, hybrid flow). */
  code?: string | null;
}

/** Section 2: the ID token's claims. azp is the client: the only audience, so it is always right. */
export function idTokenClaims(input: IdTokenInput): Record<string, string | number | boolean> {
  const iat = Math.floor(input.now / 1000);
  const claims: Record<string, string | number | boolean> = {
    iss: input.issuer,
    ...userClaims(input.user, input.scope),
    aud: input.clientId,
    azp: input.clientId,
    iat,
    exp: iat + input.lifetime,
  };
  if (input.authTime !== null && input.authTime !== undefined) claims.auth_time = Math.floor(input.authTime / 1000);
  if (input.nonce) claims.nonce = input.nonce;
  if (input.accessToken) claims.at_hash = halfHash(input.accessToken);
  if (input.code) claims.c_hash = halfHash(input.code);
  return claims;
}

export interface AccessTokenInput {
  issuer: string;
  clientId: string;
  userId: string | null;
  scope: readonly string[];
  jti: string;
  now: number;
  expiresIn: number;
}

/**
 * RFC 9068 section 2.2: the JWT access token's claims. sub is the resource owner, or the client
 * itself for a client_credentials token (section 2.2: "the client application"). aud is the
 * gateway: it fronts every resource it protects.
 */
export function accessTokenClaims(input: AccessTokenInput): Record<string, string | number> {
  const iat = Math.floor(input.now / 1000);
  const claims: Record<string, string | number> = {
    iss: input.issuer,
    sub: input.userId ?? input.clientId,
    aud: input.issuer,
    client_id: input.clientId,
    iat,
    exp: iat + input.expiresIn,
    jti: input.jti,
  };
  if (input.scope.length > 0) claims.scope = input.scope.join(' ');
  return claims;
}
