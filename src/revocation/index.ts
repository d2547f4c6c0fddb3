import type { Cache } from '../cache/types';
import type { Clock } from '../clock';
import type { Logger } from '../http/logger';
import type { VerifiedOAuth1Token } from '../oauth1/resource-request';
import type { ActiveToken } from '../oauth2/verify-token';
import type { RevocationLogRepository } from '../storage/types';
import { RevocationChannel } from './channel';
import { RevocationFeed } from './feed';
import { VerifiedCredentials } from './verified-credentials';

export { RevocationChannel, REVOCATION_CHANNEL, logGrewMessage } from './channel';
export { RevocationFeed } from './feed';
export { VerifiedCredentials, type Lookup } from './verified-credentials';
export { subjectKeysOf, type RevokedKind, type RevokedSubject } from './subjects';

/** The credentials this process verified and keeps in memory, per protocol (one type, used twice). */
export interface VerifiedTokenCaches {
  oauth2: VerifiedCredentials<ActiveToken>;
  oauth1: VerifiedCredentials<VerifiedOAuth1Token>;
}

/**
 * How revocations reach this node and leave it: the revocation log as this node follows it, and the
 * one channel (one subscription) on which nodes wake each other and name single revoked tokens.
 */
export class Revocations {
  constructor(
    readonly feed: RevocationFeed,
    readonly channel: RevocationChannel,
    private readonly caches: VerifiedTokenCaches,
  ) {}

  /**
   * Access tokens revoked here (RFC 7009, a refresh, a replayed code or refresh token): they stop
   * working at once in this process, and on the other nodes when they hear the channel.
   */
  async tokensRevoked(digests: readonly string[]): Promise<void> {
    if (digests.length === 0) return;
    this.forget(digests);
    await this.channel.announceTokensRevoked(digests);
  }

  /** A revocation heard from another node. A digest names one token of either protocol. */
  forget(digests: readonly string[]): void {
    this.caches.oauth2.evict(digests);
    this.caches.oauth1.evict(digests);
  }

  /**
   * The channel dropped: a token revoked elsewhere from now on is not announced here, so nothing
   * verified before may be served from memory again (not even once the channel is back), and
   * lookups in flight cache nothing.
   */
  forgetAll(): void {
    this.caches.oauth2.evictAll();
    this.caches.oauth1.evictAll();
  }

  async close(): Promise<void> {
    await this.channel.close();
    await this.feed.close();
  }
}

export interface OpenRevocationsOptions {
  log: Pick<RevocationLogRepository, 'after' | 'last'>;
  cache: Pick<Cache, 'subscribe' | 'publish'>;
  clock: Clock;
  logger: Logger;
  /** How often the log is read without a wake-up (default: every second). */
  pollIntervalMs?: number;
}

/**
 * The revocation log as this node follows it, the revocation channel, and the verified-credential
 * caches that consult both. Started before the node answers a request (nothing is cached from
 * before the feed's starting position; the first subscription attempt is over). Throws only when the
 * log cannot be read; close with `revocations.close()`.
 */
export async function openRevocations(options: OpenRevocationsOptions): Promise<{ revocations: Revocations; verifiedTokens: VerifiedTokenCaches }> {
  const feed = new RevocationFeed(options);
  const channel = new RevocationChannel({
    cache: options.cache,
    logger: options.logger,
    handlers: {
      logGrew: () => void feed.catchUp(),
      // The caches consult the channel, and the channel evicts from them: wired once all exist.
      tokenRevoked: (digest) => revocations.forget([digest]),
      subscriptionLost: () => revocations.forgetAll(),
      // Entries of users, clients and consumers revoked meanwhile are in the log: read it now, not at the next poll.
      subscriptionRestored: () => void feed.catchUp(),
    },
  });
  const verifiedTokens: VerifiedTokenCaches = {
    oauth2: new VerifiedCredentials({ clock: options.clock, feed, channel }),
    oauth1: new VerifiedCredentials({ clock: options.clock, feed, channel }),
  };
  const revocations = new Revocations(feed, channel, verifiedTokens);
  await feed.start();
  await channel.start();
  return { revocations, verifiedTokens };
}
