import type { Goal } from './goals';
import type { Row } from './rows';

// The run as text: an aligned table for the terminal, the same as Markdown for the README.

const HEADER = ['target', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'x baseline', 'req/s by round'];

const cell = (v: number | string | null | undefined) => (v === null || v === undefined ? '-' : String(v));

function cells(r: Row): string[] {
  if (r.unavailable) return [r.label, `unavailable: ${r.unavailable}`, '', '', '', '', ''];
  return [r.label, cell(r.requestsPerSecond), cell(r.p50Ms), cell(r.p99Ms), cell(r.peakRssMB), r.ratio === null ? '-' : r.ratio.toFixed(2), r.rounds.join(' ')];
}

const verdict = (g: Goal) => (g.met === null ? 'n/a' : g.met ? 'met' : 'MISSED');

/** Errors, answers >= 400 and notes, one line per row that has any. */
function remarks(rows: Row[]): string[] {
  return rows.flatMap((r) => {
    const parts = [...(r.socketErrors ? [`${r.socketErrors} socket errors/timeouts`] : []), ...(r.httpErrors ? [`${r.httpErrors} answers >= 400`] : []), ...r.notes];
    return parts.length ? [`  ${r.label}: ${parts.join('; ')}`] : [];
  });
}

export function textTable(rows: Row[], checks: Goal[]): string {
  const lines = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...lines.filter((l, n) => i === 0 || n === 0 || !rows[n - 1].unavailable).map((l) => l[i].length)));
  const text = lines.map((l, n) => (n > 0 && rows[n - 1].unavailable ? `${l[0].padEnd(widths[0])}  ${l[1]}` : l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')));
  const notes = remarks(rows);
  const targets = checks.map((g) => `  ${g.name}: ${cell(g.value)} (target ${g.target}) ${verdict(g)}`);
  return [...text, ...(notes.length ? ['', 'errors and notes:', ...notes] : []), '', 'targets (issue 13):', ...targets].join('\n');
}

export function markdownTable(rows: Row[], checks: Goal[]): string {
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  const body = rows.map((r) => (r.unavailable ? line([r.label, `unavailable: ${r.unavailable}`, '', '', '', '', '']) : line(cells(r))));
  const targets = checks.map((g) => line([g.name, cell(g.value), g.target, verdict(g)]));
  return [line(HEADER), line(HEADER.map(() => '---')), ...body, '', line(['target (issue 13)', 'this run', 'target', '']), line(['---', '---', '---', '---']), ...targets].join('\n');
}
