import { csrfField, html, type SafeHtml } from '../pages/templates';
import { isoDate, tableWrap, wideLayout, type NavLink } from '../console/layout';
import type { AllowedApp } from './apps';
import { english, type PageWords } from '../pages/words';
import { accountWords, type AccountWords } from './words';

export const accountNav = (operator: boolean, words: AccountWords = accountWords('en')): NavLink[] => [
  { href: '/account', label: words.title },
  ...(operator ? [{ href: '/console', label: words.operatorsConsole }] : []),
];

/** What a finished POST reports after its 303 (?done=): fixed sentences, never request data. */
export const accountNotices = accountWords('en').notices;
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
  /** The pages' words in the browser's language (ctx.state.pageChrome); English without. */
  words?: PageWords;
}

function appRow(app: AllowedApp, csrfToken: string, w: AccountWords): SafeHtml {
  const kind = app.protocol === 'oauth2' ? 'OAuth 2.0' : 'OAuth 1.0a';
  return html`<tr>
<th scope="row"><span class="app">${app.name}</span><br><span class="muted">${kind} · <code>${app.party}</code></span></th>
<td data-label="${w.columns.scopes}">${app.scopes.length > 0 ? app.scopes.map((s) => html`<code>${s}</code> `) : html`<span class="muted">${w.fullAccess}</span>`}</td>
<td data-label="${w.columns.since}">${isoDate(app.since)}</td>
<td data-label="${w.columns.lastUsed}">${app.tokenIssued === null ? html`<span class="muted">${w.notRecorded}</span>` : html`<span class="muted">${w.notRecorded};</span> ${isoDate(app.tokenIssued)} <span class="muted">${w.tokenIssued}</span>`}</td>
<td><form method="post" action="/account/revoke">${csrfField(csrfToken)}
<input type="hidden" name="protocol" value="${app.protocol}"><input type="hidden" name="party" value="${app.party}">
<button type="submit" class="secondary" aria-label="${w.revokeApp(app.name)}">${w.revoke}</button></form></td>
</tr>`;
}

function appsSection(input: AccountPageInput, w: AccountWords): SafeHtml {
  if (input.apps.length === 0) return html`<p>${w.noApps}</p>`;
  const c = w.columns;
  return tableWrap(
    w.appsAllowed,
    html`<table class="stack"><caption>${w.appsAllowed}</caption>
<thead><tr><th scope="col">${c.application}</th><th scope="col">${c.scopes}</th><th scope="col">${c.since}</th><th scope="col">${c.lastUsed}</th><th scope="col">${c.action}</th></tr></thead>
<tbody>${input.apps.map((app) => appRow(app, input.csrfToken, w))}</tbody></table>`,
  );
}

function passwordSection(input: AccountPageInput, w: AccountWords): SafeHtml {
  if (input.source === 'ldap') {
    return html`<p>${w.directoryPassword}</p>`;
  }
  const problem = input.passwordProblem;
  const invalid = problem ? html` aria-invalid="true" aria-describedby="password-problem"` : null;
  return html`${problem ? html`<p class="error" id="password-problem" role="alert">${w.passwordProblems[problem.kind] ?? problem.text}</p>` : null}
<form method="post" action="/account/password">
${csrfField(input.csrfToken)}
<label for="current_password">${w.currentPassword}</label>
<input type="password" id="current_password" name="current_password" autocomplete="current-password" required${problem?.kind === 'wrong-current' || problem?.kind === 'locked' ? invalid : null}>
<label for="new_password">${w.newPassword}</label>
<input type="password" id="new_password" name="new_password" autocomplete="new-password" minlength="8" required aria-describedby="new_password_hint"${problem?.kind === 'invalid' ? html` aria-invalid="true"` : null}>
<p class="field-hint" id="new_password_hint">${w.newPasswordHint}</p>
<label for="confirm_password">${w.newPasswordAgain}</label>
<input type="password" id="confirm_password" name="confirm_password" autocomplete="new-password" required${problem?.kind === 'mismatch' ? invalid : null}>
<div class="actions"><button type="submit">${w.changePassword}</button></div>
</form>`;
}

export function accountPage(input: AccountPageInput): SafeHtml {
  const words = input.words ?? english;
  const w = accountWords(words.lang);
  return wideLayout({
    title: w.title,
    brand: w.brand,
    nav: accountNav(input.operator, w),
    current: '/account',
    username: input.username,
    words,
    main: html`<h1>${w.title}</h1>
${input.notice ? html`<p class="notice" role="status">${w.notices[input.notice]}</p>` : null}
<section class="card" aria-labelledby="apps-heading"><h2 id="apps-heading">${w.applications}</h2>
${appsSection(input, w)}
<p class="muted">${w.revokeHint}</p></section>
<section class="card" aria-labelledby="sessions-heading"><h2 id="sessions-heading">${w.sessions}</h2>
<p>${w.sessionsHint}</p>
<form method="post" action="/account/sessions/end-others">${csrfField(input.csrfToken)}
<div class="actions"><button type="submit" class="secondary">${w.endOtherSessions}</button></div></form></section>
<section class="card" aria-labelledby="password-heading"><h2 id="password-heading">${w.password}</h2>
${passwordSection(input, w)}</section>`,
  });
}
