import { csrfField, html, type SafeHtml } from '../pages/templates';
import { isoDate, tableWrap, wideLayout, type NavLink } from '../console/layout';
import type { AllowedApp } from './apps';

export const accountNav = (operator: boolean): NavLink[] => [
  { href: '/account', label: 'Your account' },
  ...(operator ? [{ href: '/console', label: "Operators' console" }] : []),
];

/** What a finished POST reports after its 303 (?done=): fixed sentences, never request data. */
export const accountNotices = {
  revoked: 'Access revoked. The application can no longer use your account.',
  'sessions-ended': 'Your other sessions are signed out.',
  'password-changed': 'Password changed. Your other sessions are signed out and applications must be allowed again.',
} as const;
export type AccountNotice = keyof typeof accountNotices;

export type PasswordProblem = 'wrong-current' | 'mismatch' | 'invalid' | 'locked';

export interface AccountPageInput {
  username: string;
  /** 'ldap': the directory owns the password. */
  source: 'local' | 'ldap';
  operator: boolean;
  apps: readonly AllowedApp[];
  csrfToken: string;
  notice?: AccountNotice | null;
  passwordProblem?: { kind: PasswordProblem; text: string } | null;
}

function appRow(app: AllowedApp, csrfToken: string): SafeHtml {
  const kind = app.protocol === 'oauth2' ? 'OAuth 2.0' : 'OAuth 1.0a';
  return html`<tr>
<th scope="row"><span class="app">${app.name}</span><br><span class="muted">${kind} · <code>${app.party}</code></span></th>
<td data-label="Scopes">${app.scopes.length > 0 ? app.scopes.map((s) => html`<code>${s}</code> `) : html`<span class="muted">full access</span>`}</td>
<td data-label="Since">${isoDate(app.since)}</td>
<td data-label="Last used">${app.tokenIssued === null ? html`<span class="muted">not recorded</span>` : html`<span class="muted">not recorded;</span> ${isoDate(app.tokenIssued)} <span class="muted">(token issued)</span>`}</td>
<td><form method="post" action="/account/revoke">${csrfField(csrfToken)}
<input type="hidden" name="protocol" value="${app.protocol}"><input type="hidden" name="party" value="${app.party}">
<button type="submit" class="secondary" aria-label="Revoke ${app.name}">Revoke</button></form></td>
</tr>`;
}

function appsSection(input: AccountPageInput): SafeHtml {
  if (input.apps.length === 0) return html`<p>You have not allowed any application to use your account.</p>`;
  return tableWrap(
    'Applications you allowed',
    html`<table class="stack"><caption>Applications you allowed</caption>
<thead><tr><th scope="col">Application</th><th scope="col">Scopes</th><th scope="col">Since</th><th scope="col">Last used</th><th scope="col">Action</th></tr></thead>
<tbody>${input.apps.map((app) => appRow(app, input.csrfToken))}</tbody></table>`,
  );
}

function passwordSection(input: AccountPageInput): SafeHtml {
  if (input.source === 'ldap') {
    return html`<p>Your password belongs to your organisation's directory: change it there. This site checks it at every sign-in.</p>`;
  }
  const problem = input.passwordProblem;
  const invalid = problem ? html` aria-invalid="true" aria-describedby="password-problem"` : null;
  return html`${problem ? html`<p class="error" id="password-problem" role="alert">${problem.text}</p>` : null}
<form method="post" action="/account/password">
${csrfField(input.csrfToken)}
<label for="current_password">Current password</label>
<input type="password" id="current_password" name="current_password" autocomplete="current-password" required${problem?.kind === 'wrong-current' || problem?.kind === 'locked' ? invalid : null}>
<label for="new_password">New password</label>
<input type="password" id="new_password" name="new_password" autocomplete="new-password" minlength="8" required aria-describedby="new_password_hint"${problem?.kind === 'invalid' ? html` aria-invalid="true"` : null}>
<p class="field-hint" id="new_password_hint">At least 8 characters. Changing it signs out your other sessions and revokes every application's access.</p>
<label for="confirm_password">New password again</label>
<input type="password" id="confirm_password" name="confirm_password" autocomplete="new-password" required${problem?.kind === 'mismatch' ? invalid : null}>
<div class="actions"><button type="submit">Change password</button></div>
</form>`;
}

export function accountPage(input: AccountPageInput): SafeHtml {
  return wideLayout({
    title: 'Your account',
    brand: 'Account',
    nav: accountNav(input.operator),
    current: '/account',
    username: input.username,
    main: html`<h1>Your account</h1>
${input.notice ? html`<p class="notice" role="status">${accountNotices[input.notice]}</p>` : null}
<section class="card" aria-labelledby="apps-heading"><h2 id="apps-heading">Applications</h2>
${appsSection(input)}
<p class="muted">Revoking ends the application's tokens and sessions at once; it has to ask you again.</p></section>
<section class="card" aria-labelledby="sessions-heading"><h2 id="sessions-heading">Sessions</h2>
<p>Signed in somewhere you no longer use? End every session but this one.</p>
<form method="post" action="/account/sessions/end-others">${csrfField(input.csrfToken)}
<div class="actions"><button type="submit" class="secondary">Sign out of other sessions</button></div></form></section>
<section class="card" aria-labelledby="password-heading"><h2 id="password-heading">Password</h2>
${passwordSection(input)}</section>`,
  });
}
