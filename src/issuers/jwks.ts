import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock';
import { IssuerUnavailableError } from './errors';
import { fetchJson, type IssuerHttp } from './fetch-json';

export interface JwksPolicy {
  /** An unknown kid refetches the set at most this often: random kids cannot make the gateway hammer the issuer. */
  refreshMinMs: number;
  /** A set older than this is refetched on the next request (a failure then keeps the old one). */
  maxAgeMs: number;
}

// Before the first set is in, a failed fetch is retried this much later at the soonest.
const FIRST_FETCH_RETRY_MS = 5_000;

/**
 * One issuer's JSON Web Key Set, fetched on first need and kept in memory. It is fetched again when
 * a token names a kid it does not hold (key rotation at the issuer) or when it is old, never more
 * often than the policy allows, and one fetch at a time. Timing comes from the injected clock.
 */
export class JwksKeys {
  private keySet: JWTVerifyGetKey | null = null;
  private kids = new Set<string>();
  private fetchedAt = -Infinity;
  private attemptedAt = -Infinity;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly uri: () => Promise<string | null>,
    private readonly http: IssuerHttp,
    private readonly clock: Clock,
    private readonly policy: JwksPolicy,
  ) {}

  /** The keys to verify a token naming `kid` with: refreshed first when due and allowed. */
  async keysFor(kid: string | undefined): Promise<JWTVerifyGetKey> {
    const now = this.clock();
    if (this.keySet === null) {
      if (now - this.attemptedAt < FIRST_FETCH_RETRY_MS) throw new IssuerUnavailableError(this.http.issuer, 'jwks');
      await this.refresh();
      if (this.keySet === null) throw new IssuerUnavailableError(this.http.issuer, 'jwks');
      return this.keySet;
    }
    const unknownKid = kid !== undefined && !this.kids.has(kid);
    const old = now - this.fetchedAt >= this.policy.maxAgeMs;
    if ((unknownKid || old) && now - this.attemptedAt >= this.policy.refreshMinMs) {
      // A failed refresh keeps the keys we have: tokens signed with them still verify.
      await this.refresh().catch(() => undefined);
    }
    return this.keySet;
  }

  private refresh(): Promise<void> {
    this.pending ??= this.fetchSet().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchSet(): Promise<void> {
    this.attemptedAt = this.clock();
    const uri = await this.uri();
    if (uri === null) throw new IssuerUnavailableError(this.http.issuer, 'jwks');
    const body = await fetchJson(this.http, 'jwks', uri);
    if (!Array.isArray(body.keys)) {
      this.http.logger.warn({ issuer: this.http.issuer }, 'the JWKS has no "keys" array; ignored');
      throw new IssuerUnavailableError(this.http.issuer, 'jwks');
    }
    const set = body as unknown as JSONWebKeySet;
    this.keySet = createLocalJWKSet(set);
    this.kids = new Set(set.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string'));
    this.fetchedAt = this.clock();
    this.http.logger.info({ issuer: this.http.issuer, keys: this.kids.size }, 'fetched the key set of an external issuer');
  }
}
