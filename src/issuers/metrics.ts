import { Counter, Histogram, type Registry } from 'prom-client';

export type IssuerCall = 'discovery' | 'jwks' | 'introspection';

/** Calls to external authorization servers and the caches in front of them, on the gateway's registry. */
export class IssuerMetrics {
  readonly calls: Counter<'issuer' | 'call' | 'outcome'>;
  readonly latency: Histogram<'issuer' | 'call'>;
  readonly cache: Counter<'issuer' | 'kind' | 'result'>;

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
    this.cache = new Counter({
      name: 'gateway_issuer_token_cache_total',
      help: 'External tokens answered from the verified-token cache (hit) or verified anew (miss), by issuer and kind (jwt, introspection).',
      labelNames: ['issuer', 'kind', 'result'],
      registers: [registry],
    });
  }
}
