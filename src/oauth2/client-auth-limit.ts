import type { Cache, GuessCounter } from '../cache/types';
import type { GatewayConfig } from '../config';
import { tokenDigest } from '../crypto';
import { retryAfter } from '../http/protocol-error';
import { OAuth2Error } from './errors';

/**
 * Failed client authentications, per client_id and per client address. A wrong client secret costs
 * the gateway a full scrypt (32 MiB, tens of milliseconds), so a flood of them is a flood of work:
 * each attempt that needs a scrypt is counted before it runs, atomically, and refused past either
 * limit. A success and a check that could not run are given back, so only failures add up. Client
 * ids are hashed in the keys: they are caller-chosen strings of any length.
 *
 * Concurrent checks of one secret against one client are one guess: they share one count and one
 * scrypt (`check`). Otherwise a client that opens with a burst of parallel token requests, its
 * secret not yet remembered, would have each counted before any scrypt finished and lock itself out.
 */
export class ClientAuthLimit {
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(
    private readonly cache: Cache,
    private readonly policy: GatewayConfig['clientAuth'],
  ) {}

  private counters(clientId: string, address: string): GuessCounter[] {
    return [
      { key: `client-auth:client:${tokenDigest(clientId).slice(0, 32)}`, limit: this.policy.maxFailures },
      { key: `client-auth:addr:${address}`, limit: this.policy.maxFailuresPerAddress },
    ];
  }

  /**
   * Counts one attempt, runs `verify` and gives the attempt back when it was no failure; a check of
   * the same secret for the same client already under way is joined instead (same count, same answer).
   */
  async check(clientId: string, secret: string, address: string, verify: () => Promise<boolean>): Promise<boolean> {
    const key = tokenDigest(`${clientId}\u0000${secret}`);
    const shared = this.inFlight.get(key);
    if (shared) return shared;
    const run = this.countedCheck(clientId, address, verify);
    this.inFlight.set(key, run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async countedCheck(clientId: string, address: string, verify: () => Promise<boolean>): Promise<boolean> {
    await this.count(clientId, address);
    let ok: boolean;
    try {
      ok = await verify();
    } catch (err) {
      // Not checked (a full hashing queue answers 503, http/conditions.ts): no failure to count.
      await this.giveBack(clientId, address).catch(() => undefined);
      throw err;
    }
    if (ok) await this.giveBack(clientId, address);
    return ok;
  }

  /** Counts one attempt; throws a 429 invalid_client with Retry-After when the client id or the address is locked. */
  async count(clientId: string, address: string): Promise<void> {
    const wait = await this.cache.countAttempt(this.counters(clientId, address), this.policy.lockSeconds);
    if (wait === null) return;
    throw new OAuth2Error('invalid_client', 'Too many failed client authentications; try again later.', { status: 429, headers: retryAfter(wait) });
  }

  /** The attempt was no failure (the secret was right, or it could not be checked): it no longer counts. */
  async giveBack(clientId: string, address: string): Promise<void> {
    await Promise.all(this.counters(clientId, address).map(({ key }) => this.cache.decrement(key)));
  }
}
