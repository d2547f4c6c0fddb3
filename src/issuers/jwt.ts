import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { IssuerConfig } from '../config/issuers';

/** Why a JWT from an issuer is refused; each has its own metric reason and sentence. */
export type JwtRejection = 'malformed' | 'algorithm' | 'unknown_key' | 'signature' | 'expired' | 'not_yet_valid' | 'audience' | 'issuer' | 'type' | 'claims';

export type JwtVerdict = { ok: true; claims: JWTPayload } | { ok: false; reason: JwtRejection };

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Whether a bearer value has the shape of a signed JWT (three base64url parts): only those are verified locally. */
export function looksLikeJwt(token: string): boolean {
  return compactJws.test(token);
}

/** The `iss` a JWT claims, unverified: only to route it to the issuer whose keys can verify it. */
export function claimedIssuer(token: string): string | null {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === 'string' ? iss : null;
  } catch {
    return null;
  }
}

function rejectionOf(err: unknown): JwtRejection {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'audience';
    if (err.claim === 'iss') return 'issuer';
    if (err.claim === 'nbf') return 'not_yet_valid';
    if (err.claim === 'typ') return 'type';
    return 'claims';
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return 'unknown_key';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return 'algorithm';
  return 'malformed';
}

/**
 * Verifies a JWT access token (RFC 9068, or a plain JWT when so configured) against the issuer's
 * keys: the header's alg must be on the allowlist before any key is looked for (so `none` and HS256
 * "signed" with the public key are refused without a JWKS fetch), then signature, iss, aud, exp
 * (required) and nbf with the configured skew, at the injected time.
 */
export async function verifyJwt(
  token: string,
  keysFor: (kid: string | undefined) => Promise<JWTVerifyGetKey>,
  config: Pick<IssuerConfig, 'issuer' | 'audiences' | 'algorithms' | 'jwtProfile' | 'clockSkewSeconds'>,
  now: number,
): Promise<JwtVerdict> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof header.alg !== 'string' || !config.algorithms.includes(header.alg)) return { ok: false, reason: 'algorithm' };
  const getKey = await keysFor(typeof header.kid === 'string' ? header.kid : undefined);
  try {
    const { payload } = await jwtVerify(token, getKey, {
      issuer: config.issuer,
      audience: [...config.audiences],
      algorithms: [...config.algorithms],
      clockTolerance: config.clockSkewSeconds,
      currentDate: new Date(now),
      typ: config.jwtProfile === 'rfc9068' ? 'at+jwt' : undefined,
      requiredClaims: ['exp'],
    });
    return { ok: true, claims: payload };
  } catch (err) {
    return { ok: false, reason: rejectionOf(err) };
  }
}
