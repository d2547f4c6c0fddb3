import { html, type SafeHtml } from './html';
import { layout, type PageDocument } from './layout';
import { csrfField, hiddenFields } from './fields';
import { english, type PageWords } from '../words';

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
  /**
   * How long access lasts: the lifetimes, said in the browser's language (Lasting), or a sentence
   * already written (accessDuration(), English); none: not said.
   */
  lasts?: Lasting | string | null;
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
  return english.duration(seconds);
}

/** How long the application may renew access without the user: while used (sliding) or from now on (fixed). */
export interface Renewal {
  seconds: number;
  /** True when each renewal starts the window again (rotating refresh tokens). */
  sliding: boolean;
}

/** The lifetimes the consent page puts in words: the access token's, and the renewal window when there is one. */
export interface Lasting {
  accessSeconds: number;
  renewal: Renewal | null;
}

/**
 * How long access lasts, in English words: the access token's lifetime, and the renewal window when
 * the application can renew without asking (a refresh token, or an OAuth 1.0a session).
 */
export function accessDuration(appName: string, accessSeconds: number, renewal: Renewal | null): string {
  return english.accessDuration(appName, accessSeconds, renewal);
}

function lastsText(input: ConsentPageInput, w: PageWords): string | null {
  if (!input.lasts) return null;
  if (typeof input.lasts === 'string') return w.sentence(input.lasts);
  return w.accessDuration(input.appName, input.lasts.accessSeconds, input.lasts.renewal);
}

function afterwards(input: ConsentPageInput, w: PageWords): SafeHtml | null {
  if (input.remembered === undefined) return null;
  const where = html`<a href="${revokePath}">${w.accountPageLink}</a>`;
  return input.remembered ? html`<p>${w.rememberedBefore(input.appName)}${where}.</p>` : html`<p>${w.takeBackBefore}${where}.</p>`;
}

function deviceWarning(input: ConsentPageInput, w: PageWords): SafeHtml | null {
  if (!input.userCode) return null;
  // RFC 8628 section 5.4 (remote phishing): an attacker can start a device flow and send the
  // victim its code; the user is the only one who can tell the code came from their own device.
  return html`<p>${w.code}: <strong class="user-code-shown">${input.userCode}</strong></p>
<p class="warning" role="note"><strong>${w.deviceWarningStrong}</strong> ${w.deviceWarningRest}</p>`;
}

export function consentPage(input: ConsentPageInput): PageDocument {
  const scopes = input.scopes ?? [];
  return layout({
    title: (w) => w.allowTitle(input.appName),
    main: (w) => {
      const [before, after] = w.allowHeading(input.appName);
      const lasts = lastsText(input, w);
      return html`<h1>${before}<span class="app">${input.appName}</span>${after}</h1>
<p>${w.signedInAs} <strong>${input.username}</strong>.</p>
${deviceWarning(input, w)}
${
  scopes.length > 0
    ? html`<p>${w.asksFor(input.appName)}</p>
<ul class="scopes">${scopes.map(scopeItem)}</ul>`
    : html`<p>${w.usesApiForYou(input.appName)}</p>`
}
${lasts ? html`<p>${lasts}</p>` : null}
${afterwards(input, w)}
${input.destination ? html`<p>${w.sentTo} <strong>${input.destination}</strong>.</p>` : ''}
<form method="post" action="${input.action}">
${csrfField(input.csrfToken)}
${hiddenFields(input.hidden)}
<div class="actions">
<button type="submit" name="${decisionField}" value="approve">${w.allow}</button>
<button type="submit" name="${decisionField}" value="deny" class="secondary">${w.deny}</button>
</div>
</form>
<p class="muted">${w.trustOnly(input.username)} <a href="/logout">${w.signOut}</a>.</p>`;
    },
  });
}
