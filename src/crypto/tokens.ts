import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random token: 32 bytes (256 bits) in base64url, well above the 128 bits every token needs. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are stored and looked up by this digest only (hex SHA-256). */
export function tokenDigest(token: string): string {
  // The one-shot hash: no Hash object per call (it runs for every bearer and OAuth 1.0a request).
  return hash('sha256', token, 'hex');
}

/** Constant-time string comparison; unequal lengths still take time proportional to the expected value. */
export function safeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
