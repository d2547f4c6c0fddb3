import { Counter, Histogram, type Registry } from 'prom-client';

export type IssuerCall = 'discovery' | 'jwks' | 'introspection';
export type TokenKind = 'jwt' | 'introspection';
export type CacheResult = 'hit' | 'miss';

/**
 * One issuer's verified-token cache results, counted in plain numbers and added to
 * gateway_issuer_token_cache_total when the metrics are read. A hit is every request of a route
 * that accepts the issuer, and prom-client's inc() validates and hashes its labels on every call
 * (as gateway/route-metrics.ts says of the proxied requests' own metrics).
 */
export class CacheTally {
  private readonly counts: Record<TokenKind, Record<CacheResult, number>> = { jwt: { hit: 0, miss: 0 }, introspection: { hit: 0, miss: 0 } };

  constructor(readonly issuer: string) {}

  count(kind: TokenKind, result: CacheResult): void {
    this.counts[kind][result]++;
  }

  /** Adds what was counted since the last hand-over to the counter, series in a fixed order, and starts again from zero. */
  handOver(counter: Counter<'issuer' | 'kind' | 'result'>): void {
    for (const kind of ['jwt', 'introspection'] as const) {
      for (const result of ['hit', 'miss'] as const) {
        const n = this.counts[kind][result];
        if (n === 0) continue;
        counter.inc({ issuer: this.issuer, kind, result }, n);
        this.counts[kind][result] = 0;
      }
    }
  }
}

/** Calls to external authorization servers and the caches in front of them, on the gateway's registry. */
export class IssuerMetrics {
  readonly calls: Counter<'issuer' | 'call' | 'outcome'>;
  readonly latency: Histogram<'issuer' | 'call'>;
  readonly cache: Counter<'issuer' | 'kind' | 'result'>;
  private readonly tallies: CacheTally[] = [];

  constructor(registry: Registry) {
    this.calls = new Counter({
      name: 'gateway_issuer_calls_total',
      help: 'Calls to external authorization servers, by issuer, call (discovery, jwks, introspection) and outcome (ok, failed).',
      labelNames: ['issuer', 'call', 'outcome'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'gateway_issuer_call_duration_seconds',
      help: 'Latency of calls to external authorization servers, by issuer and call.',
      labelNames: ['issuer', 'call'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const tallies = this.tallies;
    this.cache = new Counter({
      name: 'gateway_issuer_token_cache_total',
      help: 'External tokens answered from the verified-token cache (hit) or verified anew (miss), by issuer and kind (jwt, introspection).',
      labelNames: ['issuer', 'kind', 'result'],
      registers: [registry],
      // prom-client calls this whenever the metrics are read.
      collect() {
        for (const tally of tallies) tally.handOver(this);
      },
    });
  }

  /** The cache results of one issuer, counted apart and read with the others. */
  cacheTally(issuer: string): CacheTally {
    const tally = new CacheTally(issuer);
    this.tallies.push(tally);
    return tally;
  }
}
