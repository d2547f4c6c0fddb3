import { RATIO_TARGETS, WORKERS_SPEEDUP } from './goals';
import type { Row } from './rows';

// A horizontal bar chart of each row's ratio to the lean baseline, hand-written SVG: green when the
// row's target (the tick) is met, red when missed, grey when it has none.

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The ratio a row should reach, if it has a target (2 workers: 1.3x the one-worker bearer row). */
function goalOf(row: Row, rows: Row[]): number | null {
  if (row.name === 'bearer-2-workers') {
    const one = rows.find((r) => r.name === 'bearer')?.ratio;
    return one ? Math.round(one * WORKERS_SPEEDUP * 100) / 100 : null;
  }
  return RATIO_TARGETS[row.name] ?? null;
}

export function ratioChart(rows: Row[], title: string): string {
  // About 7 px per character of 12 px sans-serif: the longest label fits.
  const labelWidth = Math.max(160, Math.ceil(Math.max(...rows.map((r) => r.label.length)) * 7) + 16);
  const barWidth = 400;
  const rowHeight = 24;
  const top = 40;
  // The axis ends at the next half past the largest gateway-side value, at least 1.5: the upstream
  // alone is several times the baseline and would flatten every other bar, so its bar is cut at the
  // end of the axis (its value is still written).
  const values = rows.filter((r) => r.name !== 'upstream').flatMap((r) => [r.ratio ?? 0, goalOf(r, rows) ?? 0]);
  const max = Math.max(1.5, Math.ceil(Math.max(0, ...values) * 2) / 2);
  const x = (v: number) => (labelWidth + (Math.min(v, max) / max) * barWidth).toFixed(1);
  const height = top + rows.length * rowHeight + 30;
  const width = labelWidth + barWidth + 120;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="${width - 10}" y="20" text-anchor="end" fill="#555">black tick: the target; green met, red missed</text>`,
  ];
  for (let tick = 0; tick <= max + 1e-9; tick += 0.5) {
    out.push(`<line x1="${x(tick)}" y1="${top - 5}" x2="${x(tick)}" y2="${height - 25}" stroke="${tick === 1 ? '#555' : '#ddd'}"${tick === 1 ? ' stroke-dasharray="4 3"' : ''}/>`);
    out.push(`<text x="${x(tick)}" y="${height - 10}" text-anchor="middle" fill="#555">${tick.toFixed(1)}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    out.push(`<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escape(r.label)}</text>`);
    if (r.ratio === null) {
      out.push(`<text x="${labelWidth + 4}" y="${y + 16}" fill="#888">${escape(r.unavailable ? 'unavailable' : 'no ratio')}</text>`);
      return;
    }
    const goal = goalOf(r, rows);
    const colour = goal === null ? '#9e9e9e' : r.ratio >= goal ? '#2e7d32' : '#c62828';
    out.push(`<rect class="bar" x="${labelWidth}" y="${y + 4}" width="${(Number(x(r.ratio)) - labelWidth).toFixed(1)}" height="${rowHeight - 8}" fill="${colour}"/>`);
    out.push(`<text x="${(Number(x(r.ratio)) + 4).toFixed(1)}" y="${y + 16}">${r.ratio.toFixed(2)}${r.ratio > max ? ' (off the scale)' : ''}</text>`);
    if (goal !== null) out.push(`<line x1="${x(goal)}" y1="${y + 1}" x2="${x(goal)}" y2="${y + rowHeight - 1}" stroke="#000" stroke-width="2"><title>target ${goal.toFixed(2)}</title></line>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
