import type { Cache, GuessCounter } from '../cache/types';
import { tokenDigest } from '../crypto';
import { usernameKey } from '../storage';

export interface LockoutPolicy {
  /** Per username. */
  maxFailures: number;
  /** Per client address, whatever the usernames. */
  maxFailuresPerAddress: number;
  lockSeconds: number;
}

/**
 * Too many failed logins: 429 with Retry-After wherever it surfaces (http/conditions.ts). The wait is
 * whole seconds, finite and positive by construction: a counter that somehow lost its expiry would
 * report an infinite one, and the configured lock is promised instead.
 */
export class LockedOutError extends Error {
  readonly retryAfterSeconds: number;
  constructor(waitSeconds: number, lockSeconds: number) {
    super('too many failed attempts');
    this.name = 'LockedOutError';
    this.retryAfterSeconds = Number.isFinite(waitSeconds) && waitSeconds > 0 ? Math.ceil(waitSeconds) : Math.max(1, Math.ceil(lockSeconds));
  }
}

/**
 * Failed password attempts are counted per username and per client address (both: one attacker
 * spraying many usernames, or many addresses hammering one user), each against its own limit: an
 * address may stand for a whole office behind NAT. Past its limit a counter locks for lockSeconds.
 *
 * One username has one counter whatever the channel (login page, password grant and ClearPass,
 * xAuth): a guess is a guess wherever it is made. Each attempt is counted before its password is
 * checked, in one atomic step that also refuses it past the limit, so parallel guesses cannot all
 * be checked against a counter that has not caught up yet. Usernames are hashed in the keys so the
 * cache holds no account names.
 */
/**
 * What the runtime hears about sign-ins, for the metrics and the log (the username and address, never
 * the password): every wrong password and every attempt refused by a lock.
 */
export interface SignInEvents {
  failed(username: string, address: string): void;
  lockedOut(username: string, address: string): void;
}

export class Lockout {
  constructor(
    private readonly cache: Cache,
    private readonly policy: LockoutPolicy,
    private readonly events?: SignInEvents,
  ) {}

  private userKey(username: string): string {
    return `lockout:user:${tokenDigest(usernameKey(username)).slice(0, 32)}`;
  }

  private addressKey(address: string): string {
    return `lockout:addr:${address}`;
  }

  private counters(username: string, address: string): GuessCounter[] {
    return [
      { key: this.userKey(username), limit: this.policy.maxFailures },
      { key: this.addressKey(address), limit: this.policy.maxFailuresPerAddress },
    ];
  }

  /**
   * Runs one password check as a counted attempt. Throws LockedOutError (and runs nothing) when
   * the username or the address is locked. A success clears the user's counter (the address keeps
   * its failures: one good password must not reset a spray, but it is not a failure either); a check
   * that could not run (the cache or the hashing queue failed) is given back.
   */
  async attempt<T>(username: string, address: string, check: () => Promise<T | null>): Promise<T | null> {
    const wait = await this.cache.countAttempt(this.counters(username, address), this.policy.lockSeconds);
    if (wait !== null) {
      this.events?.lockedOut(username, address);
      throw new LockedOutError(wait, this.policy.lockSeconds);
    }
    let result: T | null;
    try {
      result = await check();
    } catch (err) {
      await Promise.allSettled([this.cache.decrement(this.userKey(username)), this.cache.decrement(this.addressKey(address))]);
      throw err;
    }
    if (result !== null) await Promise.all([this.cache.delete(this.userKey(username)), this.cache.decrement(this.addressKey(address))]);
    else this.events?.failed(username, address);
    return result;
  }
}
