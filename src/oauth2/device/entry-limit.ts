import type { Cache } from '../../cache/types';

export interface EntryLimitPolicy {
  /** Wrong codes allowed per address per window. */
  maxFailures: number;
  windowSeconds: number;
}

/**
 * Wrong user codes per client address. A user code is short enough to be guessed by brute force
 * (RFC 8628 section 5.1), so after a few misses the address must wait. Each entry is counted before
 * its code is looked up, in one atomic step that refuses it past the limit (parallel guesses cannot
 * all be looked up); an entry that named a real code is then given back, so only misses add up and
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

  /** Counts an entry: null when it may be looked up, else the seconds until the address may try again. */
  async admit(address: string): Promise<number | null> {
    return this.cache.countAttempt([{ key: this.key(address), limit: this.policy.maxFailures }], this.policy.windowSeconds);
  }

  /** The entry named a real code (live, expired or already decided): it was no wrong guess. */
  async notAGuess(address: string): Promise<void> {
    await this.cache.decrement(this.key(address));
  }
}
