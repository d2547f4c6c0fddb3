import type { GatewayDeps } from '../deps';
import type { Identity } from '../identity';
import { BoundedMap } from '../cache/bounded-map';
import type { RevocationFeed } from '../revocation/feed';

/**
 * Access tokens this process has verified recently, with the two secrets their signatures need, so
 * a repeat request is checked without a SQL round trip (the nonce is then the one shared-state
 * call). An entry lives until the token expires or for at most a minute, whichever comes first.
 *
 * Refresh retires a token: the node that did it evicts the entry and publishes the digest on
 * REVOCATION_CHANNEL so every other node evicts it too. Entries are only remembered while the
 * subscription is live, or a revocation could pass by unheard. A user or consumer whose
 * credentials were all taken back (passwd, disable) reaches every node through the revocation log:
 * an entry cached before that no longer counts, and none is cached for a while after it (a
 * verification that read the database just before may be behind it). The minute is the bound when
 * neither reaches this node.
 */

export const REVOCATION_CHANNEL = 'oauth1-revocations';
const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 60_000;
const DIGEST_SHAPE = /^[0-9a-f]{64}$/;

export interface VerifiedToken {
  consumerKey: string;
  consumerSecret: string;
  tokenSecret: string;
  identity: Identity;
}

type TokenCacheDeps = Pick<GatewayDeps, 'cache' | 'clock' | 'logger'>;
type RevocationCheck = Pick<RevocationFeed, 'seen' | 'revokedAfter' | 'recentlyRevoked'>;

interface Entry {
  token: VerifiedToken;
  /** The revocation log position when it was cached. */
  seen: number;
}

export class VerifiedTokens {
  private readonly tokens = new BoundedMap<Entry>(MAX_ENTRIES);
  // A revoked digest is refused for as long as an entry could live, so a verification that read
  // the row just before the revocation cannot put the token back afterwards.
  private readonly tombstones = new BoundedMap<true>(MAX_ENTRIES);
  private subscription: Promise<boolean> | null = null;

  constructor(
    private readonly deps: TokenCacheDeps,
    private readonly revocations: RevocationCheck,
  ) {}

  get(digest: string): VerifiedToken | undefined {
    const entry = this.tokens.get(digest, this.deps.clock());
    if (!entry) return undefined;
    if (!this.revocations.revokedAfter(entry.token.identity, entry.seen)) return entry.token;
    this.tokens.delete(digest);
    return undefined;
  }

  get size(): number {
    return this.tokens.size;
  }

  /** Caches a verified token until min(its expiry, now + 1 minute). */
  async remember(digest: string, token: VerifiedToken): Promise<void> {
    if (!(await this.subscribed())) return;
    const now = this.deps.clock();
    if (this.tombstones.get(digest, now) || this.revocations.recentlyRevoked(token.identity)) return;
    const until = Math.min(token.identity.expiresAt, now + MAX_AGE_MS);
    if (until > now) this.tokens.set(digest, { token, seen: this.revocations.seen }, until);
  }

  /** Forgets the token here only (a revocation heard from another node). */
  evict(digest: string): void {
    this.tombstones.set(digest, true, this.deps.clock() + MAX_AGE_MS);
    this.tokens.delete(digest);
  }

  /**
   * Forgets the token here and tells the other nodes. The database already says "revoked", so a
   * failed publish is logged, not thrown: other nodes then stop within the entry's minute.
   */
  async revoke(digest: string): Promise<void> {
    this.evict(digest);
    try {
      await this.deps.cache.publish(REVOCATION_CHANNEL, digest);
    } catch (err) {
      this.deps.logger.warn({ err: { type: (err as Error)?.name } }, 'could not publish an oauth1 token revocation');
    }
  }

  /** Subscribes on first use; a failed attempt is retried on the next verification. */
  private subscribed(): Promise<boolean> {
    this.subscription ??= this.deps.cache
      .subscribe(REVOCATION_CHANNEL, (message) => {
        if (DIGEST_SHAPE.test(message)) this.evict(message);
      })
      .then(
        () => true,
        () => {
          this.subscription = null;
          return false;
        },
      );
    return this.subscription;
  }
}

/** The gateway's cache (built by the runtime, held in GatewayDeps), shared by the resource verifier and the refresh endpoint. */
export function verifiedTokensFor(deps: Pick<GatewayDeps, 'verifiedTokens'>): VerifiedTokens {
  return deps.verifiedTokens.oauth1;
}
