import fs from 'node:fs';
import path from 'node:path';
import type { Row } from './load';

export interface Ratio {
  name: string;
  value: number | null;
  target: string;
  met: boolean | null;
}

const byName = (rows: Row[], name: string) => rows.find((r) => r.name === name)?.requestsPerSecond ?? null;

function ratio(name: string, numerator: number | null, denominator: number | null, minimum: number): Ratio {
  const value = numerator !== null && denominator ? Math.round((numerator / denominator) * 1000) / 1000 : null;
  return { name, value, target: `>= ${minimum}`, met: value === null ? null : value >= minimum };
}

const rss = (name: string, value: number | null): Ratio => ({ name, value, target: '< 200', met: value === null ? null : value < 200 });

/** Peak resident set of the gateway while the proxied routes were under load. */
export function proxiedPeakRssMB(rows: Row[]): number | null {
  const peaks = rows.filter((r) => ['public', 'bearer', 'oauth1'].includes(r.name) && r.peakRssMB !== null).map((r) => r.peakRssMB as number);
  return peaks.length ? Math.max(...peaks) : null;
}

/**
 * The targets, as ratios from this one run. Memory is given twice: under proxied load, and
 * for the whole run, whose token endpoint phase adds scrypt's working memory (32 MiB per concurrent
 * client secret verification).
 */
export function ratios(rows: Row[], gatewayPeakRssMB: number | null): Ratio[] {
  return [
    ratio('public route / baseline proxy', byName(rows, 'public'), byName(rows, 'baseline'), 0.8),
    ratio('bearer route / public route', byName(rows, 'bearer'), byName(rows, 'public'), 0.85),
    ratio('OAuth1 HMAC-SHA1 route / public route', byName(rows, 'oauth1'), byName(rows, 'public'), 0.6),
    rss('gateway peak RSS under proxied load (MB)', proxiedPeakRssMB(rows)),
    rss('gateway peak RSS, whole run incl. token endpoint (MB, VmHWM)', gatewayPeakRssMB),
  ];
}

const cell = (v: number | string | null | undefined) => (v === null || v === undefined ? '-' : String(v));

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

export function table(rows: Row[], checks: Ratio[]): string {
  const lines = [['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'peak RSS MB', 'req/s by round']];
  for (const r of rows) {
    lines.push([r.label, cell(r.requestsPerSecond), cell(r.p50Ms), cell(r.p99Ms), cell(r.errors), cell(r.non2xx), cell(r.peakRssMB), r.rounds?.join(' ') ?? '-']);
  }
  const skipped = rows.filter((r) => r.skipped).map((r) => `  ${r.label}: NOT MEASURED (${r.skipped})`);
  const verdict = (m: boolean | null) => (m === null ? 'n/a' : m ? 'met' : 'MISSED');
  const ratioLines = checks.map((c) => `  ${c.name}: ${cell(c.value)} (target ${c.target}) ${verdict(c.met)}`);
  return [pad(lines), ...(skipped.length ? ['', 'skipped:', ...skipped] : []), '', 'targets:', ...ratioLines].join('\n');
}

export function writeJson(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}
