import { html, type SafeHtml } from '../pages/templates/html';

// Small horizontal bar charts drawn on the server as inline SVG: no script (the pages' CSP allows
// none), no third-party library, nothing fetched. Colours come from the stylesheet's classes (an
// inline style attribute would be blocked by style-src 'self'). Each chart carries its numbers as
// text too, so a screen reader reads the same thing the picture shows.

export interface Bar {
  label: string;
  value: number;
}

const ROW = 22;
const WIDTH = 320;
const LABEL_WIDTH = 130;
const VALUE_WIDTH = 50;
const MAX_LABEL = 20;

function shortLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}\u2026` : label;
}

function formatted(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** The chart's bar geometry: pure, so the scaling is tested without parsing SVG. */
export function barWidths(bars: readonly Bar[], span: number): number[] {
  const max = Math.max(0, ...bars.map((b) => b.value));
  return bars.map((b) => (max > 0 && b.value > 0 ? Math.max(1, Math.round((b.value / max) * span)) : 0));
}

export function barChart(input: { id: string; title: string; bars: readonly Bar[]; empty?: string }): SafeHtml {
  const titleId = `${input.id}-title`;
  if (input.bars.length === 0) {
    return html`<figure class="chart" aria-labelledby="${titleId}"><figcaption id="${titleId}">${input.title}</figcaption><p class="muted">${input.empty ?? 'Nothing counted yet.'}</p></figure>`;
  }
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const widths = barWidths(input.bars, span);
  const height = input.bars.length * ROW;
  const description = input.bars.map((b) => `${b.label}: ${formatted(b.value)}`).join(', ');
  const rows = input.bars.map(
    (b, i) => html`<g transform="translate(0 ${i * ROW})"><text class="bar-label" x="0" y="15">${shortLabel(b.label)}</text><rect class="bar" x="${LABEL_WIDTH}" y="4" width="${widths[i]}" height="14" rx="2"></rect><text class="bar-value" x="${LABEL_WIDTH + widths[i] + 6}" y="15">${formatted(b.value)}</text></g>`,
  );
  return html`<figure class="chart" aria-labelledby="${titleId}"><figcaption id="${titleId}">${input.title}</figcaption>
<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${`${input.title}: ${description}`}" focusable="false">${rows}</svg></figure>`;
}
