import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per app so tests and several apps in one process don't collide. */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests handled, by route and outcome.',
    labelNames: ['route', 'outcome', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Request latency in seconds, by route and outcome.',
    labelNames: ['route', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly tokensIssued = new Counter({
    name: 'gateway_tokens_issued_total',
    help: 'Tokens issued, by protocol and grant.',
    labelNames: ['protocol', 'grant'],
    registers: [this.registry],
  });
  readonly verificationFailures = new Counter({
    name: 'gateway_verification_failures_total',
    help: 'Rejected credentials, by protocol and reason.',
    labelNames: ['protocol', 'reason'],
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Upstream failures, by route and kind.',
    labelNames: ['route', 'kind'],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
