import type { Counter, Histogram } from 'prom-client';
import type { Metrics } from '../http/metrics';
import type { Route } from './routes';

type CounterChild = ReturnType<Counter['labels']>;
type HistogramChild = ReturnType<Histogram['labels']>;

interface Prepared {
  requests: CounterChild;
  latency: HistogramChild;
}

/**
 * The proxied requests' metrics, with prom-client's child for each route, outcome and status made
 * once and kept: a labelled inc() or observe() hashes its label object (sorting the names) on every
 * call, which showed in the proxied path's profile. The children are keyed by route object, and the
 * set of outcomes and statuses a route meets is small; made per gateway, never module state.
 */
export class RouteMetrics {
  private readonly prepared = new Map<Route, Map<string, Prepared>>();

  constructor(private readonly metrics: Metrics) {}

  /** One handled request: counted by route, outcome and status, its latency observed by route and outcome. */
  request(route: Route, outcome: string, status: number, seconds: number): void {
    let byOutcome = this.prepared.get(route);
    if (!byOutcome) this.prepared.set(route, (byOutcome = new Map()));
    const key = outcome + ' ' + status;
    let children = byOutcome.get(key);
    if (!children) {
      children = { requests: this.metrics.requests.labels(route.name, outcome, String(status)), latency: this.metrics.latency.labels(route.name, outcome) };
      byOutcome.set(key, children);
    }
    children.requests.inc();
    children.latency.observe(seconds);
  }

  upstreamError(route: Route, kind: string): void {
    this.metrics.upstreamErrors.inc({ route: route.name, kind });
  }
}
