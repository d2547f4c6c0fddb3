/**
 * Where the verifier may go (RFC 5849 section 2.1 oauth_callback, section 2.2 the redirect).
 *
 * RFC 5849 lets every request_token name its own callback, which also lets anyone holding a
 * consumer's key and secret (every copy of a mobile app carries them) start a flow that shows the
 * real consumer's name on the consent page and sends the verifier to a site of their choosing. So a
 * consumer registered with a callback gets only callbacks that registration covers:
 * - `prefix` (the default): same scheme, host and port, and a path at or below the registered path
 *   (whole segments, after dot segments are resolved, with no encoded slash, backslash or dot that a
 *   server could decode into a way out);
 * - `exact`: the registered string, character for character.
 * A consumer registered with `oob` gets only oob; `oob` is accepted for every consumer, since the
 * verifier then appears only on the gateway's own page, to the user who just approved.
 * A consumer registered without a callback keeps RFC 5849's rule: any absolute http(s) URL.
 * Custom schemes (native apps, RFC 8252 section 7.1) are accepted only for consumers registered
 * with one; schemes that run code or read local data in a browser never are.
 */

export const CALLBACK_MATCHES = ['prefix', 'exact'] as const;
export type CallbackMatch = (typeof CALLBACK_MATCHES)[number];

export interface CallbackRegistration {
  /** "oob", a URL, or null for none. */
  callbackUrl: string | null;
  callbackMatch: CallbackMatch;
}

const OOB = 'oob';

/** The callback column's size (request tokens and consumers). */
const MAX_CALLBACK_LENGTH = 2048;

// A browser runs these, or reads local data with them, instead of handing the URL to an app.
const FORBIDDEN_SCHEMES: ReadonlySet<string> = new Set([
  'javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:', 'filesystem:', 'view-source:', 'jar:',
]);
const WEB_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);
// RFC 3986 scheme; a web callback must spell its authority out ("https:host" is a relative URL to a browser).
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const WEB_PREFIX = /^https?:\/\/[^/\\]/i;
// It ends up in a Location header: printable ASCII only.
const PRINTABLE = /^[\x21-\x7e]+$/;
// Encoded "/", "\" and "." in a path: a server that decodes them could step out of the prefix.
const ENCODED_PATH_ESCAPE = /%(?:2f|5c|2e)/i;

function parse(value: string): URL | null {
  if (value.length > MAX_CALLBACK_LENGTH || !PRINTABLE.test(value)) return null;
  const scheme = SCHEME.exec(value);
  if (!scheme) return null;
  try {
    const url = new URL(value);
    if (FORBIDDEN_SCHEMES.has(url.protocol)) return null;
    if (WEB_SCHEMES.has(url.protocol) && (!WEB_PREFIX.test(value) || url.host === '')) return null;
    return url;
  } catch {
    return null;
  }
}

/** Why `value` cannot be registered as a consumer's callback, or null when it can (oob, http(s), a native app's scheme). */
export function registrationProblem(value: string): string | null {
  if (value === OOB) return null;
  if (!SCHEME.test(value)) return 'is not an absolute URL (or oob)';
  const url = parse(value);
  if (!url) return 'must be oob, an absolute http(s) URL or a native app scheme (not javascript:, data:, file: and the like), in printable ASCII';
  if (value.includes('#')) return 'must not contain a fragment';
  return null;
}

/** Whether `path` is `prefix` or lies below it, in whole segments. */
function underPath(path: string, prefix: string): boolean {
  if (prefix === '' || prefix.endsWith('/')) return path.startsWith(prefix);
  return path === prefix || path.startsWith(prefix + '/');
}

function samePlace(requested: URL, registered: URL): boolean {
  return (
    requested.protocol === registered.protocol &&
    requested.username === registered.username &&
    requested.password === registered.password &&
    requested.host === registered.host
  );
}

/**
 * Why the oauth_callback of a request_token is refused for this consumer, as a sentence for the
 * client, or null when it is accepted.
 */
export function callbackRefusal(requested: string, registration: CallbackRegistration): string | null {
  if (requested === OOB) return null;
  const registered = registration.callbackUrl;
  if (registered === OOB) return 'This consumer is registered for oob only.';
  const url = parse(requested);
  if (registered === null) {
    return url && WEB_SCHEMES.has(url.protocol) ? null : 'oauth_callback must be "oob" or an absolute http(s) URL.';
  }
  if (registration.callbackMatch === 'exact') {
    return requested === registered ? null : 'oauth_callback must be oob or exactly the callback registered for this consumer.';
  }
  const base = parse(registered);
  const covered =
    url !== null &&
    base !== null &&
    samePlace(url, base) &&
    !ENCODED_PATH_ESCAPE.test(url.pathname) &&
    !url.pathname.includes('\\') &&
    underPath(url.pathname, base.pathname);
  return covered ? null : 'oauth_callback must be oob or lie under the callback registered for this consumer (same scheme, host, port and path prefix).';
}

/**
 * What the consent page names as the destination: the host (with a port other than the default)
 * for a web callback, in its ASCII form so look-alike letters show as punycode; the scheme and host
 * for a native app's; null for oob (the verifier stays on our page).
 */
export function callbackDestination(callback: string): string | null {
  if (callback === OOB) return null;
  const url = parse(callback);
  if (!url) return null;
  if (WEB_SCHEMES.has(url.protocol)) return url.host;
  return url.host === '' ? url.protocol : `${url.protocol}//${url.host}`;
}
