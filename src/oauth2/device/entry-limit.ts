import type { Cache } from '../../cache/types';

export interface EntryLimitPolicy {
  /** Wrong codes allowed per window. */
  maxFailures: number;
  windowSeconds: number;
}

/**
 * Wrong user codes per client address. A user code is short enough to be guessed by brute force
 * (RFC 8628 section 5.1), so after a few misses in a row the address must wait. Only misses count:
 * one person entering codes for several devices is not slowed down.
 */
export class EntryLimit {
  constructor(
    private readonly cache: Cache,
    private readonly policy: EntryLimitPolicy,
  ) {}

  private key(address: string): string {
    return `device-entry:addr:${address}`;
  }

  /** Seconds until another attempt is accepted, or null when one is accepted now. */
  async retryAfter(address: string): Promise<number | null> {
    const key = this.key(address);
    const count = Number((await this.cache.get(key)) ?? 0);
    if (count < this.policy.maxFailures) return null;
    const ttl = await this.cache.ttl(key);
    return Math.max(1, Math.ceil(ttl !== null && Number.isFinite(ttl) ? ttl : this.policy.windowSeconds));
  }

  async recordFailure(address: string): Promise<void> {
    await this.cache.increment(this.key(address), this.policy.windowSeconds);
  }
}
