import { html, type SafeHtml } from './html';
import { layout, type PageDocument } from './layout';
import { csrfField, hiddenFields } from './fields';

/** A requested scope; the description is what the user reads, the name is shown when there is none. */
export interface ScopeLine {
  name: string;
  description?: string;
}

/** Where a signed-in user sees and takes back what they allowed (the account page). */
export const revokePath = '/account';

export interface ConsentPageInput {
  /** OAuth 1.0a consumer name or OAuth 2.0 client name. */
  appName: string;
  /** Who is signed in, so someone on a shared computer notices the wrong account. */
  username: string;
  scopes?: ReadonlyArray<ScopeLine | string>;
  /** Where the answer goes (the callback's host), so the user can tell a foreign one; none when it stays here. */
  destination?: string | null;
  /** How long access lasts, one sentence (accessDuration()); none: not said. */
  lasts?: string | null;
  /**
   * Whether allowing is remembered (the application won't ask again for these scopes). Either way
   * the page says where access is taken back; undefined says nothing about either (older callers).
   */
  remembered?: boolean;
  /** The device flow's user code, shown with the warning of RFC 8628 section 5.4. */
  userCode?: string | null;
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

/** 90 seconds -> "2 minutes", 28800 -> "8 hours", 1209600 -> "14 days": the largest unit that fits. */
export function durationWords(seconds: number): string {
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.round(seconds / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** How long the application may renew access without the user: while used (sliding) or from now on (fixed). */
export interface Renewal {
  seconds: number;
  /** True when each renewal starts the window again (rotating refresh tokens). */
  sliding: boolean;
}

/**
 * How long access lasts, in words: the access token's lifetime, and the renewal window when the
 * application can renew without asking (a refresh token, or an OAuth 1.0a session).
 */
export function accessDuration(appName: string, accessSeconds: number, renewal: Renewal | null): string {
  const each = `Access lasts ${durationWords(accessSeconds)} at a time`;
  if (renewal === null) return `${each}; after that ${appName} has to ask you again.`;
  const window = renewal.sliding ? `until it goes unused for ${durationWords(renewal.seconds)}` : `for up to ${durationWords(renewal.seconds)}`;
  return `${each}; ${appName} can renew it without asking you ${window}, or until you take it back.`;
}

function afterwards(input: ConsentPageInput): SafeHtml | null {
  if (input.remembered === undefined) return null;
  const where = html`<a href="${revokePath}">your account page</a>`;
  return input.remembered
    ? html`<p>Your choice is remembered: ${input.appName} will not ask again for these permissions. You can take access back at any time on ${where}.</p>`
    : html`<p>You can take access back at any time on ${where}.</p>`;
}

function deviceWarning(input: ConsentPageInput): SafeHtml | null {
  if (!input.userCode) return null;
  // RFC 8628 section 5.4 (remote phishing): an attacker can start a device flow and send the
  // victim its code; the user is the only one who can tell the code came from their own device.
  return html`<p>Code: <strong class="user-code-shown">${input.userCode}</strong></p>
<p class="warning" role="note"><strong>Allow only if this code is on the screen of a device you are holding or own.</strong> If someone sent you this code or link, choose Deny: allowing would give them access to your account.</p>`;
}

export function consentPage(input: ConsentPageInput): PageDocument {
  const scopes = input.scopes ?? [];
  return layout({
    title: `Allow ${input.appName}?`,
    main: html`<h1>Allow <span class="app">${input.appName}</span> to use your account?</h1>
<p>You are signed in as <strong>${input.username}</strong>.</p>
${deviceWarning(input)}
${
  scopes.length > 0
    ? html`<p>What ${input.appName} asks for:</p>
<ul class="scopes">${scopes.map(scopeItem)}</ul>`
    : html`<p>${input.appName} will be able to use the API on your behalf.</p>`
}
${input.lasts ? html`<p>${input.lasts}</p>` : null}
${afterwards(input)}
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
