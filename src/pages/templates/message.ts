import { html } from './html';
import { layout, type PageDocument } from './layout';
import { scriptHref } from '../script';
import { csrfField } from './fields';

/** Title and message are the flow's English sentences; the page says them in the browser's language when it knows them (words/). */
export interface MessagePageInput {
  title: string;
  message: string;
  /** Defaults to true: most messages end a flow the user started from another window or device. */
  closeHint?: boolean;
}

/** A flow's last page ("signed out", "device connected", "access denied"). */
export function messagePage(input: MessagePageInput): PageDocument {
  return layout({
    title: (w) => w.sentence(input.title),
    main: (w) => html`<h1>${w.sentence(input.title)}</h1>
<p>${w.sentence(input.message)}</p>
${input.closeHint === false ? null : html`<p class="muted">${w.mayClose}</p>`}`,
  });
}

export interface ErrorPageInput {
  title: string;
  /** One sentence for a person; never internals, never a stack trace. */
  message: string;
  /** The X-Request-Id, so a person asking for help can name this exact failure. */
  requestId?: string;
  /** Where "Go back" leads when the browser has no previous page (config branding.homeUrl). */
  backHref?: string;
}

/** A refusal for a person: what went wrong, a way back, and the request id to quote. */
export function errorPage(input: ErrorPageInput): PageDocument {
  return layout({
    title: (w) => w.sentence(input.title),
    scripts: [scriptHref],
    main: (w) => html`<h1>${w.sentence(input.title)}</h1>
<p role="alert">${w.sentence(input.message)}</p>
<p><a href="${input.backHref ?? '/login'}" data-back>${w.goBack}</a></p>
${input.requestId ? html`<p class="muted">${w.quoteRequestId} <code class="request-id">${input.requestId}</code></p>` : null}`,
  });
}

/** GET /logout asks first, so a link or an image elsewhere can't sign the user out. */
export function logoutPage(input: { csrfToken: string; username: string }): PageDocument {
  return layout({
    title: (w) => w.signOutQuestion,
    main: (w) => html`<h1>${w.signOutQuestion}</h1>
<p>${w.signedInAs} <strong>${input.username}</strong>.</p>
<form method="post" action="/logout">
${csrfField(input.csrfToken)}
<div class="actions"><button type="submit">${w.signOut}</button></div>
</form>`,
  });
}
