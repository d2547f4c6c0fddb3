import { BoundedMap } from '../cache/bounded-map';
import type { Clock } from '../clock';
import type { Identity } from '../identity';
import type { RevocationChannel } from './channel';
import type { RevocationFeed } from './feed';

const MAX_ENTRIES = 10_000;
// The bound on how late a revocation is noticed when neither the channel nor the revocation log
// reaches this node.
const MAX_AGE_MS = 60_000;

/** A verified credential as cached: whose it is and when it expires, plus what its protocol needs on a hit. */
export interface Verified {
  readonly identity: Identity;
}

/**
 * Taken before the database lookup a result is cached from. The lookup read the database at some
 * moment after this; a revocation heard since may be one it did not see.
 */
export interface Lookup {
  /** Evictions of single tokens so far. */
  readonly evictions: number;
  /** The revocation log position. */
  readonly seen: number;
  /** Whether other nodes' revocations were being heard. */
  readonly listening: boolean;
}

export interface VerifiedCredentialsOptions {
  clock: Clock;
  feed: Pick<RevocationFeed, 'seen' | 'revokedAfter'>;
  channel: Pick<RevocationChannel, 'listening'>;
  maxEntries?: number;
}

interface Entry<T> {
  value: T;
  /** The revocation log position of the lookup it came from. */
  seen: number;
}

/**
 * Credentials (access tokens, by digest) this node verified against the database recently, so a
 * repeat request touches no database. One type for both protocols: OAuth 2.0 keeps the bearer
 * token's identity, OAuth 1.0a the identity and the two secrets its signatures need.
 *
 * An entry lives until the credential expires or for a minute, whichever is first, and no longer
 * counts once it may be revoked: when its digest is evicted (a revocation here, or one heard on
 * the channel), when the revocation log names its user, client or consumer (or the token itself)
 * after the position it was looked up at, or while the channel is not heard.
 *
 * The race guard: a lookup takes a `Lookup` before reading the database, and its result is cached
 * only if nothing it could have missed happened meanwhile: no eviction, no log entry naming one of
 * its subjects, and the channel was heard throughout. So a verification that read a row just before
 * a revocation never puts the stale credential back after it.
 */
export class VerifiedCredentials<T extends Verified> {
  private readonly entries: BoundedMap<Entry<T>>;
  private evictions = 0;

  constructor(private readonly options: VerifiedCredentialsOptions) {
    this.entries = new BoundedMap(options.maxEntries ?? MAX_ENTRIES);
  }

  /** The cached credential, or undefined when there is none that still counts (then look it up). */
  get(digest: string): T | undefined {
    const entry = this.entries.get(digest, this.options.clock());
    if (!entry) return undefined;
    if (this.options.channel.listening && !this.options.feed.revokedAfter(entry.value.identity, entry.seen, digest)) return entry.value;
    this.entries.delete(digest);
    return undefined;
  }

  /** Call before the database lookup whose result may be remembered. */
  lookup(): Lookup {
    return { evictions: this.evictions, seen: this.options.feed.seen, listening: this.options.channel.listening };
  }

  /**
   * Caches a credential the lookup found valid, unless the lookup may be stale (see the class).
   * True when it was cached.
   */
  remember(digest: string, value: T, lookup: Lookup): boolean {
    if (!lookup.listening || !this.options.channel.listening || lookup.evictions !== this.evictions) return false;
    if (this.options.feed.revokedAfter(value.identity, lookup.seen, digest)) return false;
    const now = this.options.clock();
    const until = Math.min(value.identity.expiresAt, now + MAX_AGE_MS);
    if (until <= now) return false;
    this.entries.set(digest, { value, seen: lookup.seen }, until);
    return true;
  }

  /** Forgets revoked credentials; lookups in flight then cache nothing. */
  evict(digests: readonly string[]): void {
    this.evictions += 1;
    for (const digest of digests) this.entries.delete(digest);
  }

  /** Forgets every credential (revocations may have gone unheard); lookups in flight then cache nothing. */
  evictAll(): void {
    this.evictions += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
