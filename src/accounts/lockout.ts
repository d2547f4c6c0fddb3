import type { Cache } from '../cache/types';
import { tokenDigest } from '../crypto';
import { usernameKey } from '../storage';

export interface LockoutPolicy {
  maxFailures: number;
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
 * spraying many usernames, or many addresses hammering one user). Past the limit the pair is locked
 * for lockSeconds. Usernames are hashed in the keys so the cache holds no account names.
 */
export class Lockout {
  constructor(
    private readonly cache: Cache,
    private readonly policy: LockoutPolicy,
    private readonly scope: string,
  ) {}

  private keys(username: string, address: string): string[] {
    const user = tokenDigest(usernameKey(username)).slice(0, 32);
    return [`lockout:${this.scope}:user:${user}`, `lockout:${this.scope}:addr:${address}`];
  }

  /** Throws LockedOutError when either counter is over the limit. */
  async check(username: string, address: string): Promise<void> {
    for (const key of this.keys(username, address)) {
      const count = Number((await this.cache.get(key)) ?? 0);
      if (count >= this.policy.maxFailures) {
        throw new LockedOutError((await this.cache.ttl(key)) ?? this.policy.lockSeconds);
      }
    }
  }

  async recordFailure(username: string, address: string): Promise<void> {
    for (const key of this.keys(username, address)) await this.cache.increment(key, this.policy.lockSeconds);
  }

  /** A success clears the user's counter (not the address's: one good password must not reset a spray). */
  async recordSuccess(username: string, address: string): Promise<void> {
    await this.cache.delete(this.keys(username, address)[0]);
  }
}
