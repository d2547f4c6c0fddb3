import type { AuditEntryRow } from '../storage/types';
import { html, type SafeHtml } from '../pages/templates';
import { isoDate, tableWrap } from './layout';
import { page, type ConsoleFrame } from './pages';

// /console/audit: the audit log, newest first, a page at a time (the admin API's /audit, as a page).

export const AUDIT_PAGE_SIZE = 50;

/**
 * The entries to show and the `before` cursor of the next (older) page. `rows` holds up to
 * AUDIT_PAGE_SIZE + 1 entries: the extra one only says that an older page exists. Pure.
 */
export function auditPageOf(rows: readonly AuditEntryRow[]): { entries: readonly AuditEntryRow[]; olderBefore: number | null } {
  const entries = rows.slice(0, AUDIT_PAGE_SIZE);
  return { entries, olderBefore: rows.length > AUDIT_PAGE_SIZE ? entries[entries.length - 1].seq : null };
}

export function auditPage(frame: ConsoleFrame, entries: readonly AuditEntryRow[], olderBefore: number | null, paged: boolean): SafeHtml {
  const rows = entries.map(
    (e) => html`<tr><th scope="row">${isoDate(e.at)}</th><td data-label="Actor">${e.actor}${e.actorClient ? html` <span class="muted">(client <code>${e.actorClient}</code>)</span>` : null}</td>
<td data-label="Operation"><code>${e.operation}</code></td><td data-label="Target">${e.targetKind} <code>${e.target}</code></td><td data-label="Address">${e.address ?? '-'}</td><td data-label="Outcome">${e.outcome}</td></tr>`,
  );
  const table =
    rows.length === 0
      ? html`<p>No change recorded${paged ? ' before these' : ' yet'}.</p>`
      : tableWrap(
          'Audit log',
          html`<table class="stack"><caption>Audit log</caption><thead><tr>${['When', 'Actor', 'Operation', 'Target', 'Address', 'Outcome'].map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`,
        );
  // The cursor is a sequence number (an integer), the only value of the log that reaches an href.
  const nav = html`<p>${paged ? html`<a href="/console/audit">Newest entries</a> ` : null}${olderBefore !== null ? html`<a href="/console/audit?before=${String(Math.trunc(olderBefore))}">Older entries</a>` : null}</p>`;
  return page(
    frame,
    '/console/audit',
    'Audit log',
    html`<p class="muted">Every change made through the admin API or this console: who, what, when, from where, and what came of it. Newest first.</p>
${table}
${nav}`,
  );
}
