import { csrfField, html, type HtmlValue, type SafeHtml } from '../pages/templates';
import { isoDate } from './layout';
import { page, type ConsoleFrame } from './pages';

// The console's changing operations as pages: the buttons under each client, consumer and user
// (only for an `admin` operator), the confirmation asked before a delete, and the answer page that
// shows a rotated secret once. The secret goes into this page and nowhere else (no log, no redirect).

export type AccountKind = 'clients' | 'consumers' | 'users';

/** What a list page needs to draw the buttons: present only for an `admin` operator. */
export interface Controls {
  csrfToken: string;
  notice: string | null;
}

export const kindWords: Record<AccountKind, { one: string; idLabel: string }> = {
  clients: { one: 'client', idLabel: 'Client ID' },
  consumers: { one: 'consumer', idLabel: 'Consumer key' },
  users: { one: 'user', idLabel: 'Username' },
};

/** The notices a list page shows after a change (?done=...): fixed texts, never a value from the address. */
export const doneNotices: Record<string, string> = {
  enabled: 'Enabled. What disabling took back stays taken back.',
  disabled: 'Disabled. Its tokens stopped working on every node at once.',
  deleted: 'Deleted. Its tokens stopped working on every node at once.',
  created: 'Created.',
  saved: 'Saved.',
};

export function noticeOf(controls: Controls | null): HtmlValue {
  return controls?.notice ? html`<p class="notice" role="status">${controls.notice}</p>` : null;
}

interface AccountRef {
  kind: AccountKind;
  id: string;
  name: string;
  enabled: boolean;
  /** grace: a rotation with an optional grace period (a confidential client, a consumer); null: none (public client, user). */
  rotate: 'grace' | null;
}

function postButton(csrfToken: string, kind: AccountKind, action: string, id: string, label: string, text: string, extra: HtmlValue = null): SafeHtml {
  return html`<form method="post" action="/console/${kind}/${action}" class="inline">${csrfField(csrfToken)}<input type="hidden" name="id" value="${id}">${extra}<button type="submit" class="secondary" aria-label="${label}">${text}</button></form>`;
}

export function accountActions(controls: Controls | null, ref: AccountRef): HtmlValue {
  if (!controls) return null;
  const { one } = kindWords[ref.kind];
  const toggle = ref.enabled ? 'disable' : 'enable';
  const toggleText = ref.enabled ? 'Disable' : 'Enable';
  const graceId = `grace-${ref.kind}-${ref.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const rotate =
    ref.rotate === 'grace'
      ? postButton(controls.csrfToken, ref.kind, 'rotate-secret', ref.id, `Rotate secret of ${one} ${ref.name}`, 'Rotate secret',
          html`<label for="${graceId}">Old secret keeps working for (seconds)</label><input type="number" id="${graceId}" name="grace_seconds" min="0" step="1" inputmode="numeric" value="0">`)
      : null;
  return html`<div class="actions">${postButton(controls.csrfToken, ref.kind, toggle, ref.id, `${toggleText} ${one} ${ref.name}`, toggleText)}
${rotate}
<form method="get" action="/console/${ref.kind}/delete" class="inline"><input type="hidden" name="id" value="${ref.id}"><button type="submit" class="secondary" aria-label="Delete ${one} ${ref.name}">Delete\u2026</button></form></div>`;
}

/**
 * The Edit button of one registration: a GET form (the id travels as a field, never in an href
 * built from the store). Shown to `admin_read` too, who gets the form read-only.
 */
export function editButton(kind: AccountKind | 'profiles', id: string, label: string): SafeHtml {
  return html`<form method="get" action="/console/${kind}/edit" class="inline"><input type="hidden" name="id" value="${id}"><button type="submit" class="secondary" aria-label="${label}">Edit</button></form>`;
}

/** The link to a create form, above a list. */
export function newLink(kind: AccountKind | 'profiles', text: string): SafeHtml {
  return html`<p><a class="button-link" href="/console/${kind}/new">${text}</a></p>`;
}

export function confirmDeletePage(frame: ConsoleFrame, csrfToken: string, kind: AccountKind, id: string): SafeHtml {
  const { one, idLabel } = kindWords[kind];
  return page(
    frame,
    `/console/${kind}`,
    `Delete this ${one}?`,
    html`<dl class="facts"><dt>${idLabel}</dt><dd><code>${id}</code></dd></dl>
<p>Deleting takes back every token and grant it holds, on every node at once, and cannot be undone.</p>
<form method="post" action="/console/${kind}/delete">${csrfField(csrfToken)}<input type="hidden" name="id" value="${id}"><input type="hidden" name="confirm" value="yes">
<div class="actions"><button type="submit">Delete ${one} ${id}</button> <a href="/console/${kind}">Cancel</a></div></form>`,
  );
}

export function secretPage(frame: ConsoleFrame, kind: 'clients' | 'consumers', id: string, secret: string, previousValidUntil: number | null): SafeHtml {
  const { one, idLabel } = kindWords[kind];
  // A consumer's tokens are signed with its secret too, so they end with the old secret (README
  // "Accounts and secrets"); a client's tokens do not depend on its secret.
  const old =
    kind === 'consumers'
      ? previousValidUntil === null
        ? 'The old secret stopped working at once, and the consumer\u2019s tokens and sessions ended.'
        : `The old secret keeps working until ${isoDate(previousValidUntil)}; then it stops, and the consumer\u2019s tokens and sessions from before the rotation end.`
      : previousValidUntil === null
        ? 'The old secret stopped working at once. Tokens already issued stay valid.'
        : `The old secret keeps working until ${isoDate(previousValidUntil)}. Tokens already issued stay valid.`;
  return page(
    frame,
    `/console/${kind}`,
    `New secret of this ${one}`,
    html`<p class="notice" role="status">Copy the secret now: it is shown this once and only its ${kind === 'clients' ? 'hash' : 'sealed form'} is kept.</p>
<dl class="facts"><dt>${idLabel}</dt><dd><code>${id}</code></dd><dt>New secret</dt><dd><code class="secret">${secret}</code></dd></dl>
<p>${old}</p>
<p><a href="/console/${kind}">Back to the ${one}s</a></p>`,
  );
}
