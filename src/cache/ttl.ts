/**
 * TTLs arrive in seconds and may be fractional; both caches keep milliseconds so they expire and
 * report alike. A TTL that is not positive is a caller bug (a key that never expires would leak a
 * nonce or a rate-limit window forever), so it throws instead of being clamped.
 */
export function ttlMilliseconds(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`cache TTL must be a positive number of seconds, got ${ttlSeconds}`);
  }
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

/** Remaining milliseconds as the whole seconds `ttl()` reports: rounded up, so a live key never says 0. */
export function remainingSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}
