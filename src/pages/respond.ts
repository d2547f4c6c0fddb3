import type { Context } from '../http/context';
import { NO_STORE } from '../http/security-headers';
import type { SafeHtml } from './templates/html';
import { PageDocument } from './templates/layout';

export interface PageOptions {
  status?: number;
  /**
   * Origins (or `scheme:` for native apps) a form on this page may end up at after our own 303s.
   * Build them with formTargetFor(redirectUri).
   */
  formTargets?: readonly string[];
  headers?: Readonly<Record<string, string>>;
  /** The page loads a script file of ours (assets.ts); pages built by layout() with `scripts` say so themselves. */
  scripts?: boolean;
}

/**
 * Content-Security-Policy for the gateway's pages. Nothing loads but our stylesheet, nothing may
 * frame us, and forms go to ourselves.
 *
 * Why form-action lists more than 'self' on some pages: Chromium (and CSP Level 3) checks
 * form-action against every redirect of a navigation that started with a form submission. The
 * consent form POSTs to us and we answer 303 to the client's redirect_uri (OAuth 2.0) or callback
 * (OAuth 1.0a); the login form's 303 can lead to the same place when consent is remembered. With
 * `form-action 'self'` alone Chromium would block that last hop, so those pages add exactly the
 * client's redirect origin instead of dropping the directive (which would let an injected form
 * post a password anywhere).
 */
export function pageCsp(formTargets: readonly string[] = [], scripts = false): string {
  const formAction = ["'self'", ...formTargets].join(' ');
  return [
    "default-src 'none'",
    // Only on the pages that load one of our script files (never inline script).
    ...(scripts ? ["script-src 'self'"] : []),
    "style-src 'self'",
    "img-src 'self'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

// A CSP source is one token: anything else in it (';', ',', spaces, quotes) could add directives.
const schemeOnly = /^[a-z][a-z0-9+.-]*:$/;
const origin = /^https?:\/\/[a-z0-9.\-[\]:]+$/;

/**
 * The CSP source for a redirect URI: its origin for http(s), its scheme for a native app's custom
 * scheme. Null when it can't be expressed safely (the flow then must not send a form there).
 */
export function formTargetFor(redirectUri: string): string | null {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return origin.test(url.origin) ? url.origin : null;
  return schemeOnly.test(url.protocol) ? url.protocol : null;
}

/** The headers every page carries, the error page too (http/render/html-page.ts). */
export function pageHeaders(options: Pick<PageOptions, 'formTargets' | 'headers' | 'scripts'> = {}): Record<string, string> {
  return {
    'Content-Security-Policy': pageCsp(options.formTargets, options.scripts),
    'X-Frame-Options': 'DENY',
    ...NO_STORE,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    ...options.headers,
  };
}

export function setPageHeaders(ctx: Context, options: Pick<PageOptions, 'formTargets' | 'headers' | 'scripts'> = {}): void {
  ctx.set(pageHeaders(options));
}

/** Sends a rendered page with the mandatory headers, in the frame (branding) of this gateway. */
export function sendPage(ctx: Context, page: SafeHtml, options: PageOptions = {}): void {
  const document = page instanceof PageDocument ? page : null;
  ctx.status = options.status ?? 200;
  setPageHeaders(ctx, { ...options, scripts: options.scripts === true || document?.hasScripts === true });
  ctx.type = 'text/html; charset=utf-8';
  // Every page speaks the browser's language (pages/words): one cached copy per Accept-Language.
  ctx.vary('Accept-Language');
  const chrome = ctx.state.pageChrome;
  ctx.body = document && chrome ? document.framed(chrome).value : page.value;
}

/**
 * 303 See Other: after every POST, so reloading never resubmits a form, and the browser follows
 * with GET. The location is used as given (flows build it from registered URIs and encoded params).
 */
export function seeOther(ctx: Context, location: string): void {
  if (/[\r\n]/.test(location)) throw new Error('a redirect location must not contain line breaks');
  ctx.status = 303;
  ctx.set('Location', location);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  // The next request (possibly to the client) must not learn which gateway page sent it there.
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = 'See Other';
}
