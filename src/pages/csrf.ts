import type { Context } from 'koa';
import { safeEqual } from '../crypto';
import type { BrowserSession } from './session';
import { formExpired } from './errors';

// Synchronizer tokens: one random token per session, stored server side in the session and echoed
// in a hidden field of every form. SameSite=Lax already stops most cross-site POSTs; this is the
// check that does not depend on the browser.

export { csrfField, csrfFieldName } from './templates/fields';

/** True when the submitted token is the session's, compared in constant time. */
export function csrfMatches(session: BrowserSession, submitted: string | null | undefined): boolean {
  const expected = session.storedCsrfToken();
  if (!expected || typeof submitted !== 'string' || submitted === '') return false;
  return safeEqual(submitted, expected);
}

/**
 * Throws the 403 "form expired" page unless the form carries the session's token. A session that
 * expired between showing and sending the form fails here too, which is the right answer.
 */
export function verifyCsrf(ctx: Context, session: BrowserSession, submitted: string | null | undefined): void {
  if (csrfMatches(session, submitted)) return;
  ctx.state.log?.info({ sessionKnown: !session.isNew, tokenSent: Boolean(submitted) }, 'csrf check failed');
  throw formExpired();
}
