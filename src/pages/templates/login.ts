import { html } from './html';
import { layout, type PageDocument } from './layout';
import { csrfField } from './fields';
import type { PageWords } from '../words';

export interface LoginPageInput {
  csrfToken: string;
  /** Same-origin path to continue to after signing in (already validated); none for a plain sign-in. */
  continueTo?: string | null;
  /** The signed login context (application name, CSP targets) for the page re-rendered after a failure. */
  contextTicket?: string | null;
  /** Shown as "to continue to <name>" when a flow knows which application asks. */
  appName?: string | null;
  /** Kept after a failed attempt so the user only retypes the password. */
  username?: string;
  problem?: 'wrong-credentials' | 'missing-credentials' | 'locked' | null;
  /** With problem 'locked': how long until another attempt is accepted. */
  retryAfterSeconds?: number;
}

function problemText(input: LoginPageInput, words: PageWords): string | null {
  switch (input.problem) {
    // One sentence for every failure, so the page never tells which of the two was wrong.
    case 'wrong-credentials':
      return words.wrongCredentials;
    case 'missing-credentials':
      return words.missingCredentials;
    case 'locked':
      return words.lockedOut(Math.max(1, Math.ceil((input.retryAfterSeconds ?? 60) / 60)));
    default:
      return null;
  }
}

/**
 * Focus: on the first field to fill (the password when the username is known), or, after a failed
 * attempt, on the error, so a screen reader reads it and Tab then reaches the fields.
 */
export function loginPage(input: LoginPageInput): PageDocument {
  return layout({
    title: (w) => w.signIn,
    main: (w) => {
      const problem = problemText(input, w);
      const invalid = problem ? html` aria-invalid="true" aria-describedby="login-problem"` : null;
      const [before, after] = w.signInToContinue(input.appName ?? '');
      return html`<h1>${w.signIn}</h1>
${input.appName ? html`<p>${before}<span class="app">${input.appName}</span>${after}</p>` : null}
${problem ? html`<p class="error" id="login-problem" role="alert" tabindex="-1" autofocus>${problem}</p>` : null}
<form method="post" action="/login">
${csrfField(input.csrfToken)}
${input.continueTo ? html`<input type="hidden" name="continue" value="${input.continueTo}">` : null}
${input.contextTicket ? html`<input type="hidden" name="login_context" value="${input.contextTicket}">` : null}
<label for="username">${w.username}</label>
<input type="text" id="username" name="username" value="${input.username ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required${invalid}${problem || input.username ? null : html` autofocus`}>
<label for="password">${w.password}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${invalid}${!problem && input.username ? html` autofocus` : null}>
<div class="actions"><button type="submit">${w.signIn}</button></div>
</form>`;
    },
  });
}
