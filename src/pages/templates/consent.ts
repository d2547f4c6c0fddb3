import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { csrfField, hiddenFields } from './fields';

/** A requested scope; the description is what the user reads, the name is shown when there is none. */
export interface ScopeLine {
  name: string;
  description?: string;
}

export interface ConsentPageInput {
  /** OAuth 1.0a consumer name or OAuth 2.0 client name. */
  appName: string;
  /** Who is signed in, so someone on a shared computer notices the wrong account. */
  username: string;
  scopes?: ReadonlyArray<ScopeLine | string>;
  /** Where the answer goes (the callback's host), so the user can tell a foreign one; none when it stays here. */
  destination?: string | null;
  /** Where the decision is POSTed (a gateway path). */
  action: string;
  csrfToken: string;
  /** Flow state the handler needs back, e.g. a continuation id; never a secret. */
  hidden?: Readonly<Record<string, string>>;
}

/** The submit button's name; its value is `approve` or `deny`. */
export const decisionField = 'decision';

function scopeItem(scope: ScopeLine | string): SafeHtml {
  const line = typeof scope === 'string' ? { name: scope } : scope;
  return line.description ? html`<li>${line.description}</li>` : html`<li><code>${line.name}</code></li>`;
}

export function consentPage(input: ConsentPageInput): SafeHtml {
  const scopes = input.scopes ?? [];
  return layout({
    title: `Allow ${input.appName}?`,
    main: html`<h1>Allow <span class="app">${input.appName}</span> to use your account?</h1>
<p>You are signed in as <strong>${input.username}</strong>.</p>
${
  scopes.length > 0
    ? html`<p>${input.appName} asks for permission to:</p>
<ul class="scopes">${scopes.map(scopeItem)}</ul>`
    : html`<p>${input.appName} will be able to use the API on your behalf.</p>`
}
${input.destination ? html`<p>After you choose, you will be sent to <strong>${input.destination}</strong>.</p>` : ''}
<form method="post" action="${input.action}">
${csrfField(input.csrfToken)}
${hiddenFields(input.hidden)}
<div class="actions">
<button type="submit" name="${decisionField}" value="approve">Allow</button>
<button type="submit" name="${decisionField}" value="deny" class="secondary">Deny</button>
</div>
</form>
<p class="muted">Allow only applications you trust. Not ${input.username}? <a href="/logout">Sign out</a>.</p>`,
  });
}
