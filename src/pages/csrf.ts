import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { randomToken, safeEqual } from '../crypto';
import { readPageCookie, setPageCookie } from './cookies';
import type { BrowserSession } from './session';
import { formExpired } from './errors';

// Two kinds of CSRF token, because a form shown to someone not signed in must not cost server state:
// - forms anyone may load (login, device code entry) use a double-submit token: a random value in
//   the signed gw_csrf cookie, echoed in the form and compared with it. A cross-site page can
//   neither read the cookie nor set a signed one of its choosing.
// - forms for a signed-in user (consent, sign-out) use the session's synchronizer token, which is
//   replaced at every sign-in.
// SameSite=Lax already stops most cross-site POSTs; these are the checks that don't rely on it.

export { csrfField, csrfFieldName } from './templates/fields';

export const browserCsrfCookieName = 'gw_csrf';
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

/** The browser's gw_csrf value as sent with this request (signature checked), or null. */
export function sentBrowserCsrf(ctx: Context): string | null {
  const value = readPageCookie(ctx, browserCsrfCookieName);
  return value && tokenShape.test(value) ? value : null;
}

/**
 * The token for a form anyone may load: the browser's gw_csrf value, or a new one set on this
 * response. The same for every tab of the browser, so two open forms both stay valid.
 */
export function browserCsrfToken(ctx: Context, deps: Pick<GatewayDeps, 'config'>): string {
  const existing = ctx.state.browserCsrfToken ?? sentBrowserCsrf(ctx);
  if (existing) return existing;
  const token = randomToken();
  setPageCookie(ctx, deps, browserCsrfCookieName, token);
  ctx.state.browserCsrfToken = token;
  return token;
}

function refuse(ctx: Context, details: Record<string, boolean>): never {
  ctx.state.log?.info(details, 'csrf check failed');
  throw formExpired();
}

/**
 * Throws the 403 "form expired" page unless the form's token equals the browser's gw_csrf cookie;
 * returns that value (a flow may bind a ticket to the browser with it).
 */
export function verifyBrowserCsrf(ctx: Context, submitted: string | null | undefined): string {
  const expected = sentBrowserCsrf(ctx);
  if (expected && typeof submitted === 'string' && submitted !== '' && safeEqual(submitted, expected)) return expected;
  refuse(ctx, { cookieSent: expected !== null, tokenSent: Boolean(submitted) });
}

/** True when the submitted token is the signed-in session's, compared in constant time. */
export function csrfMatches(session: BrowserSession, submitted: string | null | undefined): boolean {
  const expected = session.storedCsrfToken();
  if (!expected || typeof submitted !== 'string' || submitted === '') return false;
  return safeEqual(submitted, expected);
}

/**
 * Throws the 403 "form expired" page unless the form carries the signed-in session's token. A
 * session that ended between showing and sending the form fails here too, which is the right answer.
 */
export function verifyCsrf(ctx: Context, session: BrowserSession, submitted: string | null | undefined): void {
  if (csrfMatches(session, submitted)) return;
  refuse(ctx, { signedIn: session.user !== null, tokenSent: Boolean(submitted) });
}
