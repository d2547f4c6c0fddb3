import type { Metrics } from '../http/metrics';
import type { Bar } from './chart';

// The dashboard's numbers, read from the Prometheus counters the gateway already keeps (http/metrics.ts):
// nothing new is counted for the console. Counters are per process (each worker of a cluster keeps
// its own, as /metrics shows them), and they count since the process started.

export interface DashboardNumbers {
  /** Proxied requests (gateway_requests_total counts the route table's requests, not the gateway's own endpoints). */
  requests: number;
  /** Proxied requests per minute, averaged since the process started. */
  perMinute: number;
  byRoute: Bar[];
  byStatus: Bar[];
  tokens: Bar[];
  failures: Bar[];
  upstreamErrors: number;
}

interface Sample {
  labels: Record<string, string | number | undefined>;
  value: number;
}

const TOP = 8;

/** Sums samples by a key of their labels, largest first, the tail folded into "other". */
export function totalsBy(samples: readonly Sample[], key: (labels: Sample['labels']) => string, top = TOP): Bar[] {
  const sums = new Map<string, number>();
  for (const s of samples) sums.set(key(s.labels), (sums.get(key(s.labels)) ?? 0) + s.value);
  const bars = [...sums].map(([label, value]) => ({ label, value })).filter((b) => b.value > 0).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  if (bars.length <= top) return bars;
  const rest = bars.slice(top - 1).reduce((n, b) => n + b.value, 0);
  return [...bars.slice(0, top - 1), { label: 'other', value: rest }];
}

const statusClass = (labels: Sample['labels']) => {
  const status = Number(labels.status);
  return Number.isFinite(status) && status >= 100 ? `${Math.floor(status / 100)}xx` : 'unknown';
};

export async function dashboardNumbers(metrics: Metrics, uptimeSeconds: number): Promise<DashboardNumbers> {
  const requests = (await metrics.requests.get()).values;
  const total = requests.reduce((n, s) => n + s.value, 0);
  const byStatus = totalsBy(requests, statusClass).sort((a, b) => a.label.localeCompare(b.label));
  return {
    requests: total,
    perMinute: uptimeSeconds > 0 ? Math.round((total / uptimeSeconds) * 60 * 100) / 100 : 0,
    byRoute: totalsBy(requests, (l) => String(l.route ?? 'unknown')),
    byStatus,
    tokens: totalsBy((await metrics.tokensIssued.get()).values, (l) => `${l.protocol ?? '?'} ${l.grant ?? '?'}`),
    failures: totalsBy((await metrics.verificationFailures.get()).values, (l) => `${l.protocol ?? '?'} ${l.reason ?? '?'}`),
    upstreamErrors: (await metrics.upstreamErrors.get()).values.reduce((n, s) => n + s.value, 0),
  };
}
