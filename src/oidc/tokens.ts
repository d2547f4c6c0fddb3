import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { ClientRow, SigningKeyAlg } from '../storage/types';
import { accessTokenClaims, idTokenClaims, type IdTokenInput } from './claims';
import type { SigningKeys } from './keys';

/** The algorithm a client's ID tokens are signed with (RS256 unless registered otherwise). */
export function idTokenAlgOf(client: Pick<ClientRow, 'idTokenAlg'>): SigningKeyAlg {
  return client.idTokenAlg ?? 'RS256';
}

async function sign(keys: SigningKeys, alg: SigningKeyAlg, typ: string, payload: JWTPayload): Promise<string> {
  const signer = await keys.signer(alg);
  return new SignJWT(payload).setProtectedHeader({ alg, kid: signer.kid, typ }).sign(signer.key);
}

/** A signed ID token (OpenID Connect Core section 2). */
export function mintIdToken(keys: SigningKeys, client: Pick<ClientRow, 'idTokenAlg'>, input: IdTokenInput): Promise<string> {
  return sign(keys, idTokenAlgOf(client), 'JWT', idTokenClaims(input));
}

export interface AccessTokenMint {
  client: Pick<ClientRow, 'clientId' | 'accessTokenFormat'>;
  userId: string | null;
  scope: readonly string[];
  issuer: string | undefined;
  expiresIn: number;
  now: number;
}

/** Makes the access token's value: a JWT (RFC 9068) for a client registered for it, else null (a random string). */
export type AccessTokenMinter = (mint: AccessTokenMint) => Promise<string | null>;

/**
 * RFC 9068 access tokens, signed RS256 (section 2.1: every resource server can check it). The token
 * is stored by its digest like any other, so the gateway's own verification, introspection and
 * revocation treat it exactly as an opaque token; the jti makes every token distinct.
 */
export function jwtAccessTokens(keys: SigningKeys, fallbackIssuer: () => string): AccessTokenMinter {
  return async (mint) => {
    if (mint.client.accessTokenFormat !== 'jwt') return null;
    const claims = accessTokenClaims({
      issuer: mint.issuer ?? fallbackIssuer(),
      clientId: mint.client.clientId,
      userId: mint.userId,
      scope: mint.scope,
      jti: randomUUID(),
      now: mint.now,
      expiresIn: mint.expiresIn,
    });
    return sign(keys, 'RS256', 'at+jwt', claims);
  };
}
