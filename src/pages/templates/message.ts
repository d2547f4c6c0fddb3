import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { csrfField } from './fields';

export interface MessagePageInput {
  title: string;
  message: string;
  /** Defaults to true: most messages end a flow the user started from another window or device. */
  closeHint?: boolean;
}

/** A flow's last page ("signed out", "device connected", "access denied"). */
export function messagePage(input: MessagePageInput): SafeHtml {
  return layout({
    title: input.title,
    main: html`<h1>${input.title}</h1>
<p>${input.message}</p>
${input.closeHint === false ? null : html`<p class="muted">You may close this window.</p>`}`,
  });
}

export interface ErrorPageInput {
  title: string;
  /** One sentence for a person; never internals, never a stack trace. */
  message: string;
}

export function errorPage(input: ErrorPageInput): SafeHtml {
  return layout({
    title: input.title,
    main: html`<h1>${input.title}</h1>
<p role="alert">${input.message}</p>`,
  });
}

/** GET /logout asks first, so a link or an image elsewhere can't sign the user out. */
export function logoutPage(input: { csrfToken: string; username: string }): SafeHtml {
  return layout({
    title: 'Sign out',
    main: html`<h1>Sign out</h1>
<p>You are signed in as <strong>${input.username}</strong>.</p>
<form method="post" action="/logout">
${csrfField(input.csrfToken)}
<div class="actions"><button type="submit">Sign out</button></div>
</form>`,
  });
}
