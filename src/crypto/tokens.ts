import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomString } from './random-pool';

/** A random token: 32 bytes (256 bits) in base64url, well above the 128 bits every token needs. */
export function randomToken(bytes = 32): string {
  return randomString(bytes, 'base64url');
}

/**
 * A random public identifier (consumer key, generated client_id): like randomToken, but never
 * starting with "-", because operators type these as CLI arguments and a leading dash reads as an
 * option (one value in 64 did). Redrawing keeps every remaining value equally likely.
 */
export function randomIdentifier(bytes: number, draw: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = draw(bytes).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
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
