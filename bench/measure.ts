import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { writeSignedAuthorizations } from './oauth1';
import { summarize, unavailableRow, type Row, type Sample } from './rows';
import { withPeakRss } from './rss';
import type { Settings, TargetName } from './settings';
import { runWrk } from './wrk';
import { wrkScript, type RequestSpec } from './wrk-script';

// Probe, warm up and measure every target with wrk, in interleaved rounds.

export interface Target {
  name: TargetName;
  label: string;
  url: string;
  /** The server's process (a primary: its workers are found and measured too). */
  pid: number;
  request: RequestSpec;
  /** OAuth 1.0a: signs one request (fresh nonce); every request of a run gets its own, signed ahead. */
  authorize?: (nonce: string, timestamp: number) => string;
}

/** A target that could not be set up: it gets a row saying why, and the run goes on. */
export interface Unavailable {
  name: TargetName;
  label: string;
  unavailable: string;
}

// Signed headers per second of run, at least: well above what one gateway process verifies here,
// and raised to 1.5 times the rate a target reached so far.
const MIN_SIGNED_PER_SECOND = 20_000;

/** One request as wrk would send it: the target must answer 2xx before it is measured. */
async function probe(target: Target): Promise<string | null> {
  const headers = { ...target.request.headers };
  if (target.authorize) headers.Authorization = target.authorize(randomBytes(16).toString('hex'), Math.floor(Date.now() / 1000));
  try {
    const res = await fetch(target.url + target.request.path, { method: target.request.method, headers, body: target.request.body });
    const text = await res.text();
    return res.ok ? null : `probe answered ${res.status}: ${text.slice(0, 200)}`;
  } catch (err) {
    return `probe failed: ${(err as Error).message}`;
  }
}

interface Runner {
  wrk: string;
  settings: Settings;
  workDir: string;
}

/** One wrk run against a target; for OAuth 1.0a, signs a fresh stock of headers first. */
async function runOnce(runner: Runner, target: Target, seconds: number, expectedRate: number): Promise<Sample & { notes: string[] }> {
  const { settings, workDir } = runner;
  const base = path.join(workDir, target.name);
  let stock = 0;
  let authorizationFile: string | undefined;
  if (target.authorize) {
    stock = Math.ceil(seconds * Math.max(MIN_SIGNED_PER_SECOND, expectedRate * 1.5));
    authorizationFile = `${base}.authorizations`;
    writeSignedAuthorizations(authorizationFile, stock, target.authorize, Date.now);
  }
  const script = wrkScript({ request: target.request, authorizationFile, threads: settings.threads });
  const run = () => runWrk(runner.wrk, { url: target.url, script, scriptFile: `${base}.lua`, seconds, connections: settings.connections, threads: settings.threads });
  const { value: result, peaks } = await withPeakRss(target.pid, run);
  const notes = stock && result.requests > stock ? [`signed headers ran out: ${result.requests - stock} requests reused a nonce`] : [];
  return { result, peaks, notes };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The order of one round. A run leaves work behind it (a database flushing and vacuuming the token
 * rows it wrote, a gateway collecting its garbage), and with one fixed order the same target always
 * ran in it, and the same one always ran last. Round r takes every k-th target (k the r-th step
 * coprime with their number, so each is taken once): the first round is table order, and from one
 * round to the next every target (the first of the table, always first, aside) changes place and follows
 * another target, so the median round is fairer to all of them.
 */
export function roundOrder<T>(targets: readonly T[], round: number): T[] {
  const n = targets.length;
  const steps = Array.from({ length: Math.max(1, n - 1) }, (_, i) => i + 1).filter((k) => gcd(k, n) === 1);
  const step = steps[(round - 1) % steps.length];
  return targets.map((_, i) => targets[(i * step) % n]);
}

/**
 * Probes and warms up every target, then measures them in interleaved rounds (each round runs every
 * target once, in a rotated order, with a pause between runs), so a slow spell on a shared machine
 * hits all targets alike instead of one of them. A target whose probe fails gets a row saying so;
 * nothing aborts the others.
 */
export async function measureAll(runner: Runner, targets: Array<Target | Unavailable>, progress: (line: string) => void): Promise<Row[]> {
  const { settings } = runner;
  const failed = new Map<TargetName, string>();
  const samples = new Map<TargetName, Sample[]>();
  const notes = new Map<TargetName, Set<string>>();
  const live = targets.filter((t): t is Target => !('unavailable' in t));
  const fastest = new Map<TargetName, number>();
  const measure = async (target: Target, seconds: number, round: number | null) => {
    try {
      const sample = await runOnce(runner, target, seconds, fastest.get(target.name) ?? 0);
      fastest.set(target.name, Math.max(fastest.get(target.name) ?? 0, sample.result.requestsPerSecond));
      if (round !== null) samples.set(target.name, [...(samples.get(target.name) ?? []), sample]);
      for (const note of sample.notes) notes.set(target.name, (notes.get(target.name) ?? new Set()).add(note));
    } catch (err) {
      failed.set(target.name, (err as Error).message);
    }
  };
  for (const target of live) {
    const problem = await probe(target);
    if (problem) failed.set(target.name, problem);
    else if (settings.warmupSeconds > 0) {
      progress(`warm-up: ${target.label} (${settings.warmupSeconds} s)`);
      await measure(target, settings.warmupSeconds, null);
    }
  }
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of roundOrder(live, round)) {
      if (failed.has(target.name)) continue;
      // What the previous run left behind settles before the next one starts.
      if (settings.settleSeconds > 0) await new Promise((resolve) => setTimeout(resolve, settings.settleSeconds * 1000));
      progress(`round ${round}/${settings.rounds}: ${target.label}`);
      await measure(target, settings.durationSeconds, round);
    }
  }
  return targets.map((t) => {
    if ('unavailable' in t) return unavailableRow(t.name, t.label, t.unavailable);
    const taken = samples.get(t.name) ?? [];
    const failure = failed.get(t.name);
    if (taken.length === 0) return unavailableRow(t.name, t.label, failure ?? 'not measured');
    // A run that failed after some rounds keeps the rounds it has, and says so.
    const remarks = [...(notes.get(t.name) ?? []), ...(failure ? [`stopped after ${taken.length} round(s): ${failure}`] : [])];
    return summarize(t.name, t.label, taken, remarks);
  });
}
