import autocannon from 'autocannon';
import { withPeakRss } from './processes';

export interface Target {
  name: string;
  /** What the row measures, for the table. */
  label: string;
  url: string;
  /** The process whose memory the row reports. */
  pid: number;
  request: autocannon.RequestSpec;
  /** Called before every run with its length in seconds (the OAuth1 target signs its requests ahead). */
  prepare?: (seconds: number) => void;
}

export interface Row {
  name: string;
  label: string;
  requestsPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  errors: number;
  non2xx: number;
  peakRssMB: number | null;
  /** Why the row has no figures (the probe request failed). */
  skipped?: string;
  /** Requests per second of each round. */
  rounds?: number[];
}

export interface LoadSettings {
  /** Per target and round. */
  durationSeconds: number;
  rounds: number;
  warmupSeconds: number;
  connections: number;
}

/** One request as the load would send it: the target must answer 2xx before it is measured. */
async function probe(target: Target): Promise<string | null> {
  const spec = target.request.setupRequest ? target.request.setupRequest({ ...target.request }, {}) : target.request;
  try {
    const res = await fetch(target.url + (spec.path ?? '/'), { method: spec.method ?? 'GET', headers: spec.headers, body: spec.body });
    const text = await res.text();
    return res.ok ? null : `probe answered ${res.status}: ${text.slice(0, 200)}`;
  } catch (err) {
    return `probe failed: ${(err as Error).message}`;
  }
}

const run = (target: Target, connections: number, duration: number) => {
  target.prepare?.(duration);
  return autocannon({ url: target.url, connections, duration, pipelining: 1, timeout: 10, requests: [target.request] });
};

interface Sample {
  result: autocannon.Result;
  peakMB: number | null;
}

function summary(target: Target, samples: Sample[]): Row {
  // The round with the median throughput speaks for the target: one noisy round on a shared machine
  // moves nothing.
  const sorted = [...samples].sort((a, b) => a.result.requests.average - b.result.requests.average);
  const median = sorted[Math.floor(sorted.length / 2)].result;
  const peaks = samples.map((s) => s.peakMB).filter((p): p is number => p !== null);
  return {
    name: target.name,
    label: target.label,
    requestsPerSecond: Math.round(median.requests.average),
    p50Ms: median.latency.p50,
    p99Ms: median.latency.p99,
    errors: samples.reduce((n, s) => n + s.result.errors + s.result.timeouts, 0),
    non2xx: samples.reduce((n, s) => n + s.result.non2xx, 0),
    peakRssMB: peaks.length ? Math.round(Math.max(...peaks) * 10) / 10 : null,
    rounds: samples.map((s) => Math.round(s.result.requests.average)),
  };
}

/**
 * Probes and warms up every target, then measures them in interleaved rounds (each round runs every
 * target once), so a slow spell on the machine hits all targets alike instead of one of them.
 */
export async function measureAll(targets: Target[], settings: LoadSettings, progress: (line: string) => void): Promise<Row[]> {
  const skipped = new Map<string, string>();
  for (const target of targets) {
    const problem = await probe(target);
    if (problem) skipped.set(target.name, problem);
    else if (settings.warmupSeconds > 0) await run(target, settings.connections, settings.warmupSeconds);
  }
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of targets) {
      if (skipped.has(target.name)) continue;
      progress(`round ${round}/${settings.rounds}: ${target.label} (${settings.durationSeconds} s, ${settings.connections} connections)`);
      const { value: result, peakMB } = await withPeakRss(target.pid, () => run(target, settings.connections, settings.durationSeconds));
      samples.get(target.name)?.push({ result, peakMB });
    }
  }
  return targets.map((target) => {
    const reason = skipped.get(target.name);
    if (reason) {
      return { name: target.name, label: target.label, requestsPerSecond: null, p50Ms: null, p99Ms: null, errors: 0, non2xx: 0, peakRssMB: null, skipped: reason };
    }
    return summary(target, samples.get(target.name) ?? []);
  });
}
