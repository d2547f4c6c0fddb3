import { createHash } from 'node:crypto';
import { safeEqual } from '../crypto';

// RFC 7636, Proof Key for Code Exchange. Pure functions: the authorize endpoint checks the
// challenge's shape, the authorization_code grant checks the verifier against it.

/** The code_challenge_method values taken, S256 first: plain only for clients registered for it. */
export const PKCE_METHODS = ['S256', 'plain'] as const;
export type PkceMethod = (typeof PKCE_METHODS)[number];

export function isPkceMethod(value: string): value is PkceMethod {
  return (PKCE_METHODS as readonly string[]).includes(value);
}

// Section 4.1 and 4.2: 43 to 128 characters of the unreserved set, for the verifier and (S256 output
// is 43 base64url characters; plain is the verifier itself) the challenge alike.
const unreserved = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isWellFormedVerifier(value: string): boolean {
  return unreserved.test(value);
}

export function isWellFormedChallenge(value: string): boolean {
  return unreserved.test(value);
}

/** Section 4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Whether the verifier answers the stored challenge, compared in constant time (section 4.6). */
export function verifierMatches(verifier: string, challenge: string, method: PkceMethod): boolean {
  if (!isWellFormedVerifier(verifier)) return false;
  const derived = method === 'S256' ? s256Challenge(verifier) : verifier;
  return safeEqual(derived, challenge);
}
