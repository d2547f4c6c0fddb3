import type { Cache } from '../cache/types';

/**
 * Wrong verifiers a request token survives. An oob verifier is short enough to type, so the number
 * of guesses, not its length, keeps it unguessable: the attempt that reaches this count spends the
 * request token when it is wrong, and the consumer starts again with a new one.
 */
export const OOB_VERIFIER_ATTEMPTS = 5;

/**
 * Counts one verifier attempt on a request token and returns its number (1 for the first). The count
 * is taken atomically before the verifier is compared (parallel guesses can't all see a low count),
 * and lives as long as the request token could.
 */
export function countVerifierAttempt(cache: Cache, requestTokenDigest: string, lifetimeSeconds: number): Promise<number> {
  return cache.increment(`oauth1:verifier-attempts:${requestTokenDigest.slice(0, 32)}`, Math.max(1, lifetimeSeconds));
}
