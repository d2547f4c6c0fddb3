import { csrfField, html, type HtmlValue, type SafeHtml } from '../pages/templates';
import type { ClientRow, ConsumerRow, ProfileRow, UserRow } from '../storage/types';
import type { Route } from '../gateway/routes';
import type { UserGrant } from '../accounts/user-grants';
import { consumerMethods } from '../oauth1/consumer-methods';
import type { ProtocolChecksConfig } from '../oauth1/checks';
import { barChart } from './chart';
import type { DashboardNumbers } from './dashboard';
import { isoDate, tableWrap, wideLayout, type NavLink } from './layout';
import type { OperatorRole } from './access';
import { accountActions, editButton, newLink, noticeOf, type Controls } from './operation-pages';

// The operators' console pages. Views of what the CLI manages, with the buttons of the changes an
// `admin` operator may make (operation-pages.ts draws them; `admin_read` sees none). Every value is
// escaped by html``; no value from the store ever goes into an href.

export const consoleNav: readonly NavLink[] = [
  { href: '/console', label: 'Dashboard' },
  { href: '/console/clients', label: 'Clients' },
  { href: '/console/consumers', label: 'Consumers' },
  { href: '/console/users', label: 'Users and profiles' },
  { href: '/console/grants', label: 'Grants' },
  { href: '/console/routes', label: 'Routes' },
  { href: '/console/audit', label: 'Audit log' },
  { href: '/account', label: 'Your account' },
];

export interface ConsoleFrame {
  username: string;
  role: Exclude<OperatorRole, null>;
}

export function page(frame: ConsoleFrame, current: string, title: string, main: SafeHtml): SafeHtml {
  return wideLayout({
    title: `${title} \u2013 Operators\u2019 console`,
    brand: 'Operators\u2019 console',
    nav: consoleNav,
    current,
    username: frame.username,
    main: html`<h1>${title}</h1>
${frame.role === 'read' ? html`<p class="muted">Read-only access (profile privilege <code>admin_read</code>).</p>` : null}
${main}`,
  });
}

const yesNo = (v: boolean) => (v ? 'yes' : 'no');
const seconds = (own: number | null, configured: number) => (own === null ? `${configured} s (default)` : `${own} s`);
const list = (values: readonly string[], none = '-'): HtmlValue => (values.length === 0 ? none : values.map((v, i) => html`${i > 0 ? ', ' : ''}<code>${v}</code>`));

/** stack: on a phone each row becomes a block of "label: value" lines (cells carry data-label). */
function table(label: string, head: readonly string[], rows: readonly SafeHtml[], empty: string, stack = false): SafeHtml {
  if (rows.length === 0) return html`<p>${empty}</p>`;
  return tableWrap(label, html`<table${stack ? html` class="stack"` : null}><caption>${label}</caption><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`);
}

export function dashboardPage(frame: ConsoleFrame, n: DashboardNumbers, uptimeSeconds: number): SafeHtml {
  return page(
    frame,
    '/console',
    'Dashboard',
    html`<p class="muted">Counted by this gateway process since it started ${Math.round(uptimeSeconds / 60)} minutes ago (each worker counts its own; <code>/metrics</code> has them all).</p>
<dl class="facts">
<dt>Proxied requests</dt><dd><span class="stat">${n.requests}</span></dd>
<dt>Proxied request rate</dt><dd><span class="stat">${n.perMinute}</span> per minute on average</dd>
<dt>Upstream errors</dt><dd><span class="stat">${n.upstreamErrors}</span></dd>
</dl>
<div class="charts">
${barChart({ id: 'chart-status', title: 'Proxied responses by status class', bars: n.byStatus, empty: 'No request proxied yet.' })}
${barChart({ id: 'chart-routes', title: 'Proxied requests by route', bars: n.byRoute, empty: 'No request proxied yet.' })}
${barChart({ id: 'chart-tokens', title: 'Tokens issued by protocol and grant', bars: n.tokens, empty: 'No token issued yet.' })}
${barChart({ id: 'chart-failures', title: 'Refused credentials by reason', bars: n.failures, empty: 'No credential refused yet.' })}
</div>`,
  );
}

/** One registration as the ClearPass form shows it: label and value pairs, readable on a phone without scrolling. */
function item(id: string, heading: SafeHtml, facts: ReadonlyArray<readonly [string, HtmlValue]>, actions: HtmlValue = null): SafeHtml {
  return html`<section class="item" aria-labelledby="${id}"><h2 id="${id}">${heading}</h2>
<dl class="facts">${facts.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>${actions}</section>`;
}

export function clientsPage(frame: ConsoleFrame, clients: readonly ClientRow[], profiles: ReadonlyMap<string, string>, defaults: { access: number; refresh: number }, controls: Controls | null = null): SafeHtml {
  const items = clients.map((c, i) =>
    item(`client-${i}`, html`${c.name}`, [
      ['Client ID', html`<code>${c.clientId}</code>`],
      ['Description', c.name],
      ['Enabled', yesNo(c.enabled)],
      ['Operator profile', c.profileId ? profiles.get(c.profileId) ?? '-' : '-'],
      ['Grant types', list([...c.grants, ...(c.implicit ? ['implicit'] : [])])],
      ['Public client', yesNo(c.secretHash === null)],
      ['Refresh token', yesNo(c.refresh)],
      ['Access token lifetime', seconds(c.accessTtl, defaults.access)],
      ['Refresh token lifetime', seconds(c.refreshTtl, defaults.refresh)],
      ['Scopes', list(c.scopes, 'any')],
      ['Redirect URIs', list(c.redirectUris)],
      ['Created', isoDate(c.createdAt)],
    ], html`${editButton('clients', c.clientId, `Edit client ${c.name}`)}${accountActions(controls, { kind: 'clients', id: c.clientId, name: c.name, enabled: c.enabled, rotate: c.secretHash === null ? null : 'grace' })}`),
  );
  return page(
    frame,
    '/console/clients',
    'OAuth 2.0 clients',
    html`${noticeOf(controls)}${newLink('clients', 'New client')}${items.length > 0 ? html`${items}` : html`<p>No client is registered.</p>`}`,
  );
}

export function consumersPage(frame: ConsoleFrame, consumers: readonly ConsumerRow[], profiles: ReadonlyMap<string, string>, defaults: { oauth1: ProtocolChecksConfig; access: number }, controls: Controls | null = null): SafeHtml {
  // What the consumer may really use over TLS: its own list or the gateway's, RSA-SHA1 only with a key.
  const methods = (c: ConsumerRow) => consumerMethods(c, defaults.oauth1, { tls: true });
  const items = consumers.map((c, i) =>
    item(`consumer-${i}`, html`${c.name}`, [
      ['Consumer key', html`<code>${c.key}</code>`],
      ['Enabled', yesNo(c.enabled)],
      ['Trusted for xAuth', yesNo(c.xauth)],
      ['Callback', c.callbackUrl === null ? html`<span class="muted">any (given per request)</span>` : html`<code>${c.callbackUrl}</code> (${c.callbackMatch} match)`],
      ['Signature methods', html`${list(methods(c))}${c.signatureMethods === null ? html` <span class="muted">(the gateway\u2019s list)</span>` : null}`],
      ['RSA public key', yesNo(c.rsaPublicKey !== null)],
      ['May name a requestor', yesNo(c.requestor)],
      ['Operator profile', c.profileId ? profiles.get(c.profileId) ?? '-' : '-'],
      ['Access token lifetime', seconds(c.accessTtl, defaults.access)],
      ['Created', isoDate(c.createdAt)],
    ], html`${editButton('consumers', c.key, `Edit consumer ${c.name}`)}${accountActions(controls, { kind: 'consumers', id: c.key, name: c.name, enabled: c.enabled, rotate: 'grace' })}`),
  );
  return page(
    frame,
    '/console/consumers',
    'OAuth 1.0a consumers',
    html`${noticeOf(controls)}${newLink('consumers', 'New consumer')}${items.length > 0 ? html`${items}` : html`<p>No consumer is registered.</p>`}`,
  );
}

export function usersPage(frame: ConsoleFrame, users: readonly UserRow[], profiles: readonly ProfileRow[], controls: Controls | null = null): SafeHtml {
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const userRows = users.map(
    (u) => html`<tr><th scope="row">${u.username}</th><td data-label="Source">${u.source}</td><td data-label="Profile">${u.profileId ? names.get(u.profileId) ?? '-' : '-'}</td><td data-label="Enabled">${yesNo(u.enabled)}</td><td data-label="Created">${isoDate(u.createdAt)}</td>
<td><form method="get" action="/console/grants" class="inline"><input type="hidden" name="user" value="${u.username}"><button type="submit" class="secondary" aria-label="Grants of ${u.username}">Grants</button></form>
${editButton('users', u.username, `Edit user ${u.username}`)}${accountActions(controls, { kind: 'users', id: u.username, name: u.username, enabled: u.enabled, rotate: null })}</td></tr>`,
  );
  const profileRows = profiles.map((p) => html`<tr><th scope="row">${p.name}</th><td data-label="Privileges">${list(p.privileges, 'none')}</td><td data-label="Created">${isoDate(p.createdAt)}</td><td>${editButton('profiles', p.name, `Edit profile ${p.name}`)}</td></tr>`);
  return page(
    frame,
    '/console/users',
    'Users and profiles',
    html`${noticeOf(controls)}<h2>Users</h2>${newLink('users', 'New user')}${table('Users', ['Username', 'Source', 'Profile', 'Enabled', 'Created', 'Actions'], userRows, 'No user yet.', true)}
<h2>Profiles</h2>${newLink('profiles', 'New profile')}${table('Profiles', ['Name', 'Privileges', 'Created', 'Actions'], profileRows, 'No profile yet.', true)}
<p class="muted">A profile holding <code>admin</code> opens this console to its users; <code>admin_read</code> opens it read-only.</p>`,
  );
}

export interface GrantsPageInput {
  /** The username searched for, or null before a search. */
  username: string | null;
  found: boolean;
  grants: readonly UserGrant[];
  names: ReadonlyMap<string, string>;
  csrfToken: string;
  notice: string | null;
  /** The user's browser sessions (sessions.ts), when a user was found. */
  sessions?: SafeHtml | null;
}

function revokeForm(input: GrantsPageInput, fields: Record<string, string>, label: string | null, text: string): SafeHtml {
  return html`<form method="post" action="/console/grants/revoke" class="inline">${csrfField(input.csrfToken)}
<input type="hidden" name="user" value="${input.username ?? ''}">${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
${label ? html`<button type="submit" class="secondary" aria-label="${label}">${text}</button>` : html`<button type="submit" class="secondary">${text}</button>`}</form>`;
}

export function grantsPage(frame: ConsoleFrame, input: GrantsPageInput): SafeHtml {
  const canRevoke = frame.role === 'admin';
  const rows = input.grants.map((g) => {
    const party: Record<string, string> = g.protocol === 'oauth2' ? { client: g.party } : { consumer: g.party };
    const name = input.names.get(`${g.protocol}:${g.party}`) ?? g.party;
    return html`<tr><th scope="row">${name}<br><span class="muted"><code>${g.party}</code></span></th><td data-label="Protocol">${g.protocol === 'oauth2' ? 'OAuth 2.0' : 'OAuth 1.0a'}</td><td data-label="Kind">${g.kind.replace(/_/g, ' ')}</td>
<td data-label="Scopes">${list(g.scope)}</td><td data-label="Since">${isoDate(g.createdAt)}</td><td data-label="Expires">${g.expiresAt === null ? 'until revoked' : isoDate(g.expiresAt)}</td>
${canRevoke ? html`<td>${revokeForm(input, party, `Revoke what ${input.username} gave ${name}`, 'Revoke')}</td>` : null}</tr>`;
  });
  const head = ['Application', 'Protocol', 'Kind', 'Scopes', 'Since', 'Expires', ...(canRevoke ? ['Action'] : [])];
  let results: HtmlValue = null;
  if (input.username !== null && !input.found) results = html`<p class="error" role="alert">No user has that name.</p>`;
  else if (input.username !== null) {
    results = html`<h2>Live grants of ${input.username}</h2>
${table(`Live grants of ${input.username}`, head, rows, 'This user holds no live grant.', true)}
${canRevoke && input.grants.length > 0 ? revokeForm(input, { all: 'yes' }, null, `Revoke all grants of ${input.username}`) : null}`;
  }
  return page(
    frame,
    '/console/grants',
    'Live grants',
    html`${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : null}
<form method="get" action="/console/grants" role="search">
<label for="grants-user">Username</label>
<input type="text" id="grants-user" name="user" value="${input.username ?? ''}" autocomplete="off" autocapitalize="none" spellcheck="false" required>
<div class="actions"><button type="submit">Show grants</button></div>
</form>
${results}
${input.sessions ?? null}`,
  );
}

export function routesPage(frame: ConsoleFrame, routes: readonly Route[]): SafeHtml {
  const rows = routes.map(
    (r) => html`<tr><th scope="row"><code>${r.prefix}</code></th><td data-label="Upstream"><code>${r.upstream}</code></td><td data-label="Write upstream">${r.writeUpstream ? html`<code>${r.writeUpstream}</code>` : '-'}</td>
<td data-label="Accepts">${list(r.accept)}</td><td data-label="Privileges">${list(r.privileges, 'none')}</td><td data-label="Scopes">${list(r.scopes, 'none')}</td><td data-label="Strip prefix">${yesNo(r.stripPrefix)}</td><td data-label="Timeout">${r.timeoutSeconds} s</td></tr>`,
  );
  return page(
    frame,
    '/console/routes',
    'Route table',
    html`<p class="muted">Longest prefix first, as requests are matched. The table comes from the configuration file.</p>
${table('Route table', ['Prefix', 'Upstream', 'Write upstream', 'Accepts', 'Privileges', 'Scopes', 'Strip prefix', 'Timeout'], rows, 'No route is configured: every path outside the gateway\u2019s own answers 404.', true)}`,
  );
}
