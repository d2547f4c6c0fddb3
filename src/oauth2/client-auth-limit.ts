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
 */
export class ClientAuthLimit {
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
