import { createHash } from 'node:crypto';
import { BoundedMap } from '../cache/bounded-map';
import type { Clock } from '../clock';
import { unmatchableHash, verifySecret } from './passwords';

export interface HashingLimits {
  /** scrypt verifications running at once: each holds 32 MiB and a libuv worker thread for tens of milliseconds. */
  maxConcurrent: number;
  /** Verifications waiting for a slot; one more is refused at once. */
  maxQueued: number;
}

/** Every hashing slot and queue place is taken: answer 503 with Retry-After instead of queueing without end. */
export class HashingBusyError extends Error {
  readonly retryAfterSeconds = 1;
  constructor() {
    super('too many password verifications in progress');
    this.name = 'HashingBusyError';
  }
}

// Successful client-secret verifications are remembered for a while (see verifyClientSecret).
const REMEMBER_MS = 10 * 60 * 1000;
const REMEMBERED_LIMIT = 10_000;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * The gateway's password and client-secret verifications, and the bound on them. A wrong password
 * costs as much as a right one, so a flood of them would otherwise start a scrypt each: hundreds of
 * 32 MiB derivations fighting over the libuv threads, and every other request that needs a thread
 * (or memory) waits behind them. Here at most maxConcurrent run, at most maxQueued wait, and the
 * rest are refused with HashingBusyError. Created by the runtime, one per gateway.
 */
export class SecretHashing {
  /** scrypt verifications started so far. */
  runs = 0;
  /** The most that ever ran at once; never above maxConcurrent. */
  peakRunning = 0;
  /** Verifications refused because the queue was full. */
  refused = 0;
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly dummy = unmatchableHash();
  private readonly remembered = new BoundedMap<true>(REMEMBERED_LIMIT);
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private closed = false;

  constructor(
    private readonly limits: HashingLimits,
    private readonly clock: Clock,
  ) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isSafeInteger(value) || value < (name === 'maxQueued' ? 0 : 1)) throw new RangeError(`hashing ${name} must be a whole number`);
    }
  }

  /** Verifies a password or secret against its stored hash (within the bound). */
  verify(secret: string, stored: string): Promise<boolean> {
    return this.run(() => verifySecret(secret, stored));
  }

  /** The work of a verification that cannot succeed, for an unknown user or client; always false. */
  async verifyAgainstDummy(secret: string): Promise<false> {
    await this.verify(secret, this.dummy);
    return false;
  }

  /**
   * True when exactly this secret verified against exactly this stored hash within the last ten
   * minutes: a machine client authenticating on every token request then pays no scrypt. Only
   * successes are remembered, so guessing gets no faster; the stored hash is part of the key, so a
   * changed secret never matches; and memory holds digests, never secrets.
   */
  knownClientSecret(secret: string, stored: string): boolean {
    return this.remembered.get(rememberKey(secret, stored), this.clock()) === true;
  }

  /**
   * verify, remembering a success (see knownClientSecret). Identical checks that arrive together
   * (a client's burst of first requests) share one scrypt.
   */
  verifyClientSecret(secret: string, stored: string): Promise<boolean> {
    const key = rememberKey(secret, stored);
    if (this.remembered.get(key, this.clock())) return Promise.resolve(true);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.verify(secret, stored)
        .then((ok) => {
          if (ok) this.remembered.set(key, true, this.clock() + REMEMBER_MS);
          return ok;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Refuses new work and what is still waiting; verifications already running finish. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new HashingBusyError());
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      this.runs += 1;
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.closed) return Promise.reject(new HashingBusyError());
    if (this.running < this.limits.maxConcurrent) {
      this.running += 1;
      this.peakRunning = Math.max(this.peakRunning, this.running);
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.maxQueued) {
      this.refused += 1;
      return Promise.reject(new HashingBusyError());
    }
    return new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** A finished verification hands its slot straight to the first waiter, so the count never dips and overshoots. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.running -= 1;
  }
}

function rememberKey(secret: string, stored: string): string {
  return createHash('sha256').update(stored).update('\0').update(secret, 'utf8').digest('base64url');
}
