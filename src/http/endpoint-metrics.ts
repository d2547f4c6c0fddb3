import type { Counter, Histogram } from 'prom-client';
import type { Metrics } from './metrics';

type CounterChild = ReturnType<Counter['labels']>;
type HistogramChild = ReturnType<Histogram['labels']>;

/**
 * The metrics of the gateway's own endpoints (token, authorize, OAuth 1.0a, device, login, ...), with
 * prom-client's children made once per endpoint and status and kept, as route-metrics.ts does for
 * proxied routes. Endpoint names are fixed in the code (routeName) and statuses few, so the maps stay
 * small; made per gateway, never module state.
 */
export class EndpointMetrics {
  private readonly counted = new Map<string, CounterChild>();
  private readonly timed = new Map<string, HistogramChild>();

  constructor(private readonly metrics: Metrics) {}

  request(endpoint: string, status: number, seconds: number): void {
    const key = endpoint + ' ' + status;
    let counter = this.counted.get(key);
    if (!counter) this.counted.set(key, (counter = this.metrics.endpointRequests.labels(endpoint, String(status))));
    let histogram = this.timed.get(endpoint);
    if (!histogram) this.timed.set(endpoint, (histogram = this.metrics.endpointLatency.labels(endpoint)));
    counter.inc();
    histogram.observe(seconds);
  }
}
