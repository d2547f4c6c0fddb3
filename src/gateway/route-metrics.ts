import type { Histogram } from 'prom-client';
import type { Metrics } from '../http/metrics';
import type { Route } from './routes';

/** Requests of one route, outcome and status since the last hand-over. */
interface RequestTally {
  labels: { route: string; outcome: string; status: string };
  count: number;
}

/** Latencies of one route and outcome since the last hand-over, as prom-client's histogram keeps them. */
interface LatencyTally {
  labels: { route: string; outcome: string };
  /** Observations per bucket (not cumulative), by the index of its upper bound; above the last: only in count. */
  buckets: number[];
  sum: number;
  count: number;
}

/** prom-client's histogram series, as its own observe() updates it (lib/histogram.js in prom-client 15). */
interface HistogramSeries {
  labels: Record<string, string>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}
interface HistogramInternals {
  hashMap: Record<string, HistogramSeries>;
  upperBounds: number[];
}

/**
 * The proxied requests' metrics (`gateway_requests_total`, `gateway_request_duration_seconds`),
 * tallied in plain numbers per route, outcome and status and handed to prom-client when the metrics
 * are read (Metrics.addTally): prom-client's inc() and observe() validate and hash their labels on
 * every call, even on a prepared child, which showed in the proxied path's profile. Read at any time,
 * the series and their values are those prom-client would hold had every request been counted into
 * it at once (a histogram's sum up to the order of floating-point additions). Made per gateway.
 */
export class RouteMetrics {
  private readonly requests = new Map<Route, Map<string, RequestTally>>();
  private readonly latencies = new Map<Route, Map<string, LatencyTally>>();
  /** Every tally in the order of its first request: handed over in that order, prom-client lists the series as it would have. */
  private readonly requestOrder: RequestTally[] = [];
  private readonly latencyOrder: LatencyTally[] = [];
  private readonly bounds: readonly number[];

  constructor(private readonly metrics: Metrics) {
    this.bounds = (metrics.latency as unknown as HistogramInternals).upperBounds;
    metrics.addTally(() => this.handOver());
  }

  /** One handled request: counted by route, outcome and status, its latency observed by route and outcome. */
  request(route: Route, outcome: string, status: number, seconds: number): void {
    let byStatus = this.requests.get(route);
    if (!byStatus) this.requests.set(route, (byStatus = new Map()));
    const key = outcome + ' ' + status;
    let tally = byStatus.get(key);
    if (!tally) {
      byStatus.set(key, (tally = { labels: { route: route.name, outcome, status: String(status) }, count: 0 }));
      this.requestOrder.push(tally);
    }
    tally.count++;

    // As prom-client's observe(): a value that is not a finite number is refused.
    if (!Number.isFinite(seconds)) throw new TypeError(`Value is not a valid number: ${seconds}`);
    let byOutcome = this.latencies.get(route);
    if (!byOutcome) this.latencies.set(route, (byOutcome = new Map()));
    let latency = byOutcome.get(outcome);
    if (!latency) {
      byOutcome.set(outcome, (latency = { labels: { route: route.name, outcome }, buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
      this.latencyOrder.push(latency);
    }
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]) {
        latency.buckets[i]++;
        break;
      }
    }
    latency.sum += seconds;
    latency.count++;
  }

  upstreamError(route: Route, kind: string): void {
    this.metrics.upstreamErrors.inc({ route: route.name, kind });
  }

  /** Adds the tallies to prom-client's metrics and starts them again from zero. */
  private handOver(): void {
    for (const tally of this.requestOrder) {
      if (tally.count === 0) continue;
      this.metrics.requests.inc(tally.labels, tally.count);
      tally.count = 0;
    }
    for (const tally of this.latencyOrder) {
      if (tally.count === 0) continue;
      const series = histogramSeries(this.metrics.latency, tally.labels);
      for (let i = 0; i < tally.buckets.length; i++) {
        series.bucketValues[this.bounds[i]] += tally.buckets[i];
        tally.buckets[i] = 0;
      }
      series.sum += tally.sum;
      series.count += tally.count;
      tally.sum = 0;
      tally.count = 0;
    }
  }
}

/** prom-client's series of a histogram for these labels, made (zeroed, with the labels validated) when it has none. */
function histogramSeries(histogram: Histogram, labels: Record<string, string>): HistogramSeries {
  const find = () =>
    Object.values((histogram as unknown as HistogramInternals).hashMap).find((series) => {
      const names = Object.keys(series.labels);
      return names.length === Object.keys(labels).length && names.every((name) => series.labels[name] === labels[name]);
    });
  let series = find();
  if (!series) {
    histogram.zero(labels);
    series = find();
  }
  if (!series || typeof series.bucketValues !== 'object') throw new Error('prom-client histogram internals changed: gateway/route-metrics.ts needs updating');
  return series;
}
