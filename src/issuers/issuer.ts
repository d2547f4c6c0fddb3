import { BoundedMap } from '../cache/bounded-map';
import type { Clock } from '../clock';
import type { IssuerConfig } from '../config/issuers';
import { tokenDigest } from '../crypto';
import type { Logger } from '../http/logger';
import type { Identity } from '../identity';
import { identityFromClaims } from './claims';
import { Discovery } from './discovery';
import type { IssuerHttp } from './fetch-json';
import { introspect, judgeIntrospection } from './introspection';
import { JwksKeys } from './jwks';
import { claimedIssuer, looksLikeJwt, verifyJwt, type JwtRejection } from './jwt';
import type { CacheTally, IssuerMetrics } from './metrics';

/**
 * What one issuer says of a bearer token: the caller, a refusal, or `not_mine` (a JWT another
 * issuer signed, an opaque token when this issuer has no introspection, or one its introspection
 * calls inactive): then another check of the route may still take it.
 */
export type IssuerVerdict = { ok: true; identity: Identity } | { ok: false; reason: JwtRejection | 'not_mine' | 'audience' | 'issuer' | 'expired' };

export interface IssuerRuntime {
  metrics: IssuerMetrics;
  logger: Logger;
  clock: Clock;
}

/**
 * One external authorization server: its endpoints, its keys, and the tokens verified against
 * them, cached by digest (never the value) until they expire, so a repeat costs no signature check
 * and no call. Opaque tokens are introspected once however many requests carry them at the same
 * time; an inactive answer is remembered briefly.
 */
export class ExternalIssuer {
  readonly name: string;
  private readonly http: IssuerHttp;
  private readonly discovery: Discovery;
  private readonly keys: JwksKeys;
  private readonly verified: BoundedMap<{ identity: Identity; kind: 'jwt' | 'introspection' }>;
  private readonly inactive: BoundedMap<true>;
  private readonly inflight = new Map<string, Promise<IssuerVerdict>>();
  private readonly cacheResults: CacheTally;

  constructor(
    readonly config: IssuerConfig,
    private readonly runtime: IssuerRuntime,
  ) {
    this.name = config.name;
    this.http = { issuer: config.name, timeoutMs: config.timeoutSeconds * 1000, metrics: runtime.metrics, logger: runtime.logger, clock: runtime.clock, failureLog: new Map() };
    this.discovery = new Discovery(config, this.http, runtime.clock);
    this.keys = new JwksKeys(async () => (await this.discovery.endpoints()).jwksUri, this.http, runtime.clock, {
      refreshMinMs: config.cache.jwksRefreshMinSeconds * 1000,
      maxAgeMs: config.cache.jwksMaxAgeSeconds * 1000,
    });
    this.verified = new BoundedMap(config.cache.maxEntries);
    this.inactive = new BoundedMap(config.cache.maxEntries);
    this.cacheResults = runtime.metrics.cacheTally(config.name);
  }

  /** Whether a JWT names this issuer (unverified: only to pick whose keys verify it). */
  claims(token: string): boolean {
    return claimedIssuer(token) === this.config.issuer;
  }

  async verify(token: string): Promise<IssuerVerdict> {
    // The cache first: a hit costs one digest, not a decode of the token.
    const digest = tokenDigest(token);
    const now = this.runtime.clock();
    const hit = this.verified.get(digest, now);
    if (hit) {
      this.cacheResults.count(hit.kind, 'hit');
      return { ok: true, identity: hit.identity };
    }
    const jwt = looksLikeJwt(token);
    // Not ours to verify: no call, no cache entry (anonymous input creates no state).
    if (jwt ? !this.claims(token) : this.config.introspection === null) return { ok: false, reason: 'not_mine' };
    // A JWT of this issuer is checked with its keys; an issuer that publishes none (introspection
    // only) is asked about its JWTs like about any other token.
    const withKeys = jwt && (this.config.introspection === null || (await this.discovery.endpoints()).jwksUri !== null);
    const kind = withKeys ? 'jwt' : 'introspection';
    if (!withKeys && this.inactive.get(digest, now)) {
      this.cacheResults.count(kind, 'hit');
      return { ok: false, reason: 'not_mine' };
    }
    this.cacheResults.count(kind, 'miss');
    if (withKeys) return this.verifyJwt(token, digest, now);
    let pending = this.inflight.get(digest);
    if (!pending) {
      pending = this.introspect(token, digest).finally(() => this.inflight.delete(digest));
      this.inflight.set(digest, pending);
    }
    return pending;
  }

  private async verifyJwt(token: string, digest: string, now: number): Promise<IssuerVerdict> {
    const verdict = await verifyJwt(token, (kid) => this.keys.keysFor(kid), this.config, now);
    if (!verdict.ok) return verdict;
    const expiresAt = (verdict.claims.exp as number) * 1000;
    const identity = identityFromClaims(verdict.claims as Record<string, unknown>, this.config, expiresAt);
    this.verified.set(digest, { identity, kind: 'jwt' }, expiresAt);
    return { ok: true, identity };
  }

  private async introspect(token: string, digest: string): Promise<IssuerVerdict> {
    const client = this.config.introspection!;
    const { introspectionUrl } = await this.discovery.endpoints();
    const answer = await introspect(this.http, introspectionUrl, client, token);
    // The time after the call: a slow answer must not stretch the cache.
    const now = this.runtime.clock();
    const verdict = judgeIntrospection(answer, this.config, now);
    if (!verdict.ok) {
      this.inactive.set(digest, true, now + this.config.cache.inactiveSeconds * 1000);
      return { ok: false, reason: verdict.reason === 'inactive' ? 'not_mine' : verdict.reason };
    }
    const ttlEnd = now + this.config.cache.activeSeconds * 1000;
    const expiresAt = typeof answer.exp === 'number' ? Math.min(answer.exp * 1000, ttlEnd) : ttlEnd;
    const identity = identityFromClaims(verdict.claims, this.config, expiresAt);
    this.verified.set(digest, { identity, kind: 'introspection' }, expiresAt);
    return { ok: true, identity };
  }
}
