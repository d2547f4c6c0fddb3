import { MalformedEncodingError } from '../http/form';

/**
 * Percent-encoding as RFC 5849 section 3.6 defines it: RFC 3986 unreserved characters stay,
 * every other UTF-8 byte becomes %XX with upper-case hex. Signature base strings, signing keys and
 * problem reports all depend on this exact form, so it is not left to encodeURIComponent alone
 * (which keeps ! * ' ( ) as they are).
 */

const RESERVED_BY_RFC3986 = /[!'()*]/g;
const HAS_RESERVED_BY_RFC3986 = /[!'()*]/;
// Keys, tokens, nonces, timestamps and method names are nearly always made of these alone, and such
// a string is its own encoding: the check is far cheaper than encoding it.
const UNRESERVED_ONLY = /^[A-Za-z0-9._~-]*$/;

function hexOf(char: string): string {
  return '%' + char.charCodeAt(0).toString(16).toUpperCase();
}

export function percentEncode(text: string): string {
  if (UNRESERVED_ONLY.test(text)) return text;
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    // Only a lone UTF-16 surrogate gets here: it has no UTF-8 form.
    throw new MalformedEncodingError('text');
  }
  return HAS_RESERVED_BY_RFC3986.test(encoded) ? encoded.replace(RESERVED_BY_RFC3986, hexOf) : encoded;
}

/**
 * Decodes every %XX exactly once and insists the bytes are UTF-8. Anything else is thrown out rather
 * than guessed at, because a lenient decoder would sign something other than what the client signed.
 */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    // decodeURIComponent rejects a `%` not followed by two hex digits and any invalid UTF-8 sequence.
    return decodeURIComponent(text);
  } catch {
    throw new MalformedEncodingError();
  }
}
