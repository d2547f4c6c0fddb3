import type { Cache } from '../cache/types';
import { tokenDigest } from '../crypto';
import { usernameKey } from '../storage';

export interface LockoutPolicy {
  /** Per username. */
  maxFailures: number;
  /** Per client address, whatever the usernames. */
  maxFailuresPerAddress: number;
  lockSeconds: number;
}

/** Too many failed logins: the caller answers 429 with Retry-After. */
export class LockedOutError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many failed attempts');
    this.name = 'LockedOutError';
  }
}

/**
 * Failed password attempts are counted per username and per client address (both: one attacker
 * spraying many usernames, or many addresses hammering one user), each against its own limit: an
 * address may stand for a whole office behind NAT. Past its limit a counter locks for lockSeconds.
 * Usernames are hashed in the keys so the cache holds no account names.
 */
export class Lockout {
  constructor(
    private readonly cache: Cache,
    private readonly policy: LockoutPolicy,
    private readonly scope: string,
  ) {}

  private userKey(username: string): string {
    return `lockout:${this.scope}:user:${tokenDigest(usernameKey(username)).slice(0, 32)}`;
  }

  private counters(username: string, address: string): Array<{ key: string; limit: number }> {
    return [
      { key: this.userKey(username), limit: this.policy.maxFailures },
      { key: `lockout:${this.scope}:addr:${address}`, limit: this.policy.maxFailuresPerAddress },
    ];
  }

  /** Throws LockedOutError when either counter has reached its limit. */
  async check(username: string, address: string): Promise<void> {
    for (const { key, limit } of this.counters(username, address)) {
      const count = Number((await this.cache.get(key)) ?? 0);
      if (count >= limit) {
        throw new LockedOutError((await this.cache.ttl(key)) ?? this.policy.lockSeconds);
      }
    }
  }

  async recordFailure(username: string, address: string): Promise<void> {
    for (const { key } of this.counters(username, address)) await this.cache.increment(key, this.policy.lockSeconds);
  }

  /** A success clears the user's counter (not the address's: one good password must not reset a spray). */
  async recordSuccess(username: string): Promise<void> {
    await this.cache.delete(this.userKey(username));
  }
}
