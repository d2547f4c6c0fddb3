import { percentEncode } from './encoding';
import type { Pair } from './params';

/**
 * The signature base string of RFC 5849 section 3.4.1: METHOD & encode(base string URI) &
 * encode(normalized parameters). Everything here is byte-exact by design; one differing
 * character and the client's signature does not verify.
 */

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };
const ABSOLUTE_URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/;

/** The URI could not be turned into a base string URI (no scheme or authority). */
export class InvalidBaseUri extends Error {
  constructor() {
    super('not an absolute http(s) URI');
    this.name = 'InvalidBaseUri';
  }
}

/**
 * Section 3.4.1.2: scheme and host lower-cased, the scheme's default port dropped, the path kept
 * exactly as sent (it was signed as sent), query and fragment removed, an empty path is "/".
 */
export function baseStringUri(uri: string): string {
  const m = ABSOLUTE_URI.exec(uri);
  if (!m) throw new InvalidBaseUri();
  const scheme = m[1].toLowerCase();
  // Userinfo never takes part in the request target; keep only host[:port].
  const authority = m[2].slice(m[2].lastIndexOf('@') + 1);
  const path = m[3] === '' ? '/' : m[3];

  // The port follows the last colon that is not inside an IPv6 literal.
  const bracketEnd = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  let host = authority;
  let port = '';
  if (colon > bracketEnd) {
    host = authority.slice(0, colon);
    port = authority.slice(colon + 1);
  }
  if (host === '') throw new InvalidBaseUri();
  host = host.toLowerCase();
  const keepPort = port !== '' && port !== DEFAULT_PORT[scheme];
  return `${scheme}://${host}${keepPort ? `:${port}` : ''}${path}`;
}

/**
 * Section 3.4.1.3.2: every parameter except oauth_signature, name and value encoded, sorted by
 * encoded name then encoded value. The encoded forms are ASCII, so plain `<` is byte order.
 */
export function normalizeParameters(pairs: readonly (readonly [string, string])[]): string {
  const encoded = pairs
    .filter(([name]) => name !== 'oauth_signature')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

export interface BaseStringInput {
  method: string;
  /** The URI the client sent to (scheme://host[:port]/path); a query or fragment here is ignored. */
  uri: string;
  /** All collected parameters (header, form body, query), repeats included. */
  params: readonly Pair[] | readonly (readonly [string, string])[];
}

export function signatureBaseString(input: BaseStringInput): string {
  return [
    percentEncode(input.method.toUpperCase()),
    percentEncode(baseStringUri(input.uri)),
    percentEncode(normalizeParameters(input.params)),
  ].join('&');
}
