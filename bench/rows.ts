import type { ProcessPeak } from './rss';
import type { TargetName } from './settings';
import type { WrkResult } from './wrk-output';

// From wrk runs to the rows of the table: the median round of each target, its ratio to the lean baseline.

/** One timed wrk run of a target, with the peak memory of its server's processes during it. */
export interface Sample {
  result: WrkResult;
  peaks: ProcessPeak[];
}

export interface Row {
  name: TargetName;
  label: string;
  /** Why there are no figures (a server that would not start, a probe that was refused). */
  unavailable?: string;
  requestsPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** requestsPerSecond / the lean baseline's. */
  ratio: number | null;
  /** The largest peak among the processes that serve (the workers, not their primary), MB. */
  peakRssMB: number | null;
  processes: ProcessPeak[];
  /** Requests per second of each round, in order. */
  rounds: number[];
  /** Over all rounds: connect/read/write errors and timeouts, and answers >= 400. */
  socketErrors: number;
  httpErrors: number;
  notes: string[];
}

export function unavailableRow(name: TargetName, label: string, reason: string): Row {
  return { name, label, unavailable: reason, requestsPerSecond: null, p50Ms: null, p99Ms: null, ratio: null, peakRssMB: null, processes: [], rounds: [], socketErrors: 0, httpErrors: 0, notes: [] };
}

/** The sample of the median throughput (the lower middle for an even count): one noisy round moves nothing. */
export function medianSample(samples: Sample[]): Sample {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a.result.requestsPerSecond - b.result.requestsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Each process's highest peak over all rounds. */
function peaksOverRounds(samples: Sample[]): ProcessPeak[] {
  const byPid = new Map<number, ProcessPeak>();
  for (const peak of samples.flatMap((s) => s.peaks)) {
    const values = [byPid.get(peak.pid)?.peakRssMB, peak.peakRssMB].filter((v): v is number => typeof v === 'number');
    byPid.set(peak.pid, { ...peak, peakRssMB: values.length ? Math.max(...values) : null });
  }
  return [...byPid.values()];
}

export function summarize(name: TargetName, label: string, samples: Sample[], notes: string[] = []): Row {
  const median = medianSample(samples).result;
  const processes = peaksOverRounds(samples);
  const serving = processes.filter((p) => p.role !== 'primary' && p.peakRssMB !== null).map((p) => p.peakRssMB as number);
  return {
    name,
    label,
    requestsPerSecond: median.requestsPerSecond,
    p50Ms: median.p50Ms,
    p99Ms: median.p99Ms,
    ratio: null,
    peakRssMB: serving.length ? Math.max(...serving) : null,
    processes,
    rounds: samples.map((s) => s.result.requestsPerSecond),
    socketErrors: samples.reduce((n, s) => n + s.result.socketErrors, 0),
    httpErrors: samples.reduce((n, s) => n + s.result.httpErrors, 0),
    notes,
  };
}

/** a / b to two decimals, null when either is missing (or b is 0). */
export function ratioOf(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b ? Math.round((a / b) * 100) / 100 : null;
}

/** Fills every row's ratio to the lean baseline (none without a baseline row). */
export function withRatios(rows: Row[]): Row[] {
  const baseline = rows.find((r) => r.name === 'baseline')?.requestsPerSecond;
  return rows.map((r) => ({ ...r, ratio: ratioOf(r.requestsPerSecond, baseline) }));
}
