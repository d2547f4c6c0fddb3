import { auditedChange } from '../admin/audit';
import type { GatewayDeps } from '../deps';
import type { Context } from '../http/context';
import { badRequest, endIndexedSession, MAX_INDEXED_SESSIONS, pageFormOf, seeOther, csrfField, html, type HtmlValue, type LiveSession, type SafeHtml } from '../pages';
import { adminUser } from './access';
import { isoDate, tableWrap } from './layout';

// A user's browser sessions on the console's grants page, each with an "End" button for an `admin`
// operator. Ending one removes its record from the shared cache, so every node refuses it at its
// next page load; the user signs in again there. Audited as endUserSession (target: the username).

export interface SessionsInput {
  username: string;
  sessions: readonly LiveSession[];
  /** The digest of the operator's own session: marked "this browser". */
  ownDigest: string | null;
  /** null for `admin_read`: no buttons. */
  csrfToken: string | null;
}

function endForm(input: SessionsInput, s: LiveSession): HtmlValue {
  if (input.csrfToken === null) return null;
  return html`<td><form method="post" action="/console/sessions/end" class="inline">${csrfField(input.csrfToken)}<input type="hidden" name="user" value="${input.username}"><input type="hidden" name="session" value="${s.ref}"><button type="submit" class="secondary" aria-label="End the session signed in ${isoDate(s.createdAt)}">End</button></form></td>`;
}

export function sessionsSection(input: SessionsInput): SafeHtml {
  const rows = input.sessions.map(
    (s) => html`<tr><th scope="row">${isoDate(s.createdAt)}${s.digest === input.ownDigest ? html` <span class="muted">(this browser)</span>` : null}</th><td data-label="Last active">${isoDate(s.touchedAt)}</td>${endForm(input, s)}</tr>`,
  );
  const head = ['Signed in', 'Last active', ...(input.csrfToken === null ? [] : ['Action'])];
  const table =
    rows.length === 0
      ? html`<p>No browser session of ${input.username} is open.</p>`
      : tableWrap(
          `Browser sessions of ${input.username}`,
          html`<table class="stack"><caption>Browser sessions of ${input.username}</caption><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`,
        );
  const full = input.sessions.length >= MAX_INDEXED_SESSIONS ? html`<p class="muted">The ${MAX_INDEXED_SESSIONS} listed are as many as are kept a user; more may be open. Revoking all grants or disabling the user ends them all.</p>` : null;
  return html`<h2>Browser sessions of ${input.username}</h2>
${table}${full}
<p class="muted">Last active is exact to about five minutes.</p>`;
}

/** POST /console/sessions/end: form `user` and `session` (the ref the list shows). */
export function endSession(deps: GatewayDeps) {
  return async function endSession(ctx: Context): Promise<void> {
    const form = pageFormOf(ctx).fields;
    const username = form.get('user') ?? '';
    const ref = form.get('session') ?? '';
    if (username === '' || !/^[A-Za-z0-9_-]{16}$/.test(ref)) throw badRequest('The form must name a user and one of the user\u2019s sessions.');
    const actor = await adminUser(ctx, deps);
    await auditedChange(deps, ctx, { actor: actor.username, actorClient: null, source: 'console' }, { operation: 'endUserSession', targetKind: 'session', target: username }, async () => {
      const user = await deps.store.users.findByUsername(username);
      // Already ended (by the user, another operator or its expiry) is a refusal the page explains.
      if (!user || !(await endIndexedSession(deps, user.id, ref))) throw badRequest('That session is not open any more (or the user does not exist).');
    });
    seeOther(ctx, `/console/grants?${new URLSearchParams({ user: username, done: 'session-ended' })}`);
  };
}
