// Size caps for the parameters of the requests that start a browser flow (OAuth 2.0 authorize and
// device authorization, OAuth 1.0a user_auth), in one place. A caller who needs no account can
// send these, and every accepted value is carried through the sign-in page and back (in a signed
// ticket) or stored with a code, so each must have a bound: a value over its cap is refused before
// anything is looked up or kept. The caps are generous for real clients.

/** Longest accepted value, in UTF-8 bytes, by parameter name. */
export const PARAMETER_BYTES: Readonly<Record<string, number>> = {
  client_id: 255,
  redirect_uri: 2048,
  response_type: 64,
  response_mode: 32,
  scope: 2048,
  // 4 KiB: room for the encoded application state some clients keep in it.
  state: 4096,
  nonce: 512,
  // RFC 7636 section 4.2: 43 to 128 characters (the shape is checked where PKCE is read).
  code_challenge: 128,
  code_challenge_method: 16,
  prompt: 64,
  max_age: 16,
  display: 16,
  login_hint: 255,
  ui_locales: 255,
  acr_values: 255,
  id_token_hint: 4096,
  // OAuth 1.0a request tokens are 43 characters; nothing longer is one of ours.
  oauth_token: 255,
};

/** Any other parameter (ignored, but still read and parsed). */
const OTHER_PARAMETER_BYTES = 4096;
/** Parameter names are short words; a long "name" is padding. */
const PARAMETER_NAME_BYTES = 64;
/** At most this many parameters in one request. */
export const MAX_PARAMETERS = 50;
/** The whole query string or form body, before decoding. */
export const MAX_REQUEST_BYTES = 32 * 1024;

export function parameterCap(name: string): number {
  return Object.hasOwn(PARAMETER_BYTES, name) ? PARAMETER_BYTES[name] : OTHER_PARAMETER_BYTES;
}

export function exceedsCap(name: string, value: string): boolean {
  const cap = parameterCap(name);
  // Cheap first: a string's UTF-8 size is at least its length and at most three times it.
  if (value.length > cap) return true;
  if (value.length * 3 <= cap) return false;
  return Buffer.byteLength(value, 'utf8') > cap;
}

export interface OversizedParameter {
  /** The parameter's name when it is one we know, else null (an unknown name is the caller's text). */
  name: string | null;
  /** True when the name itself is too long, not the value. */
  inName: boolean;
  cap: number;
}

/** The first parameter (name or value) over its cap, or null when every one fits. */
export function firstOversized(pairs: Iterable<readonly [string, string]>): OversizedParameter | null {
  for (const [name, value] of pairs) {
    if (name.length > PARAMETER_NAME_BYTES || Buffer.byteLength(name, 'utf8') > PARAMETER_NAME_BYTES) {
      return { name: null, inName: true, cap: PARAMETER_NAME_BYTES };
    }
    if (exceedsCap(name, value)) return { name: Object.hasOwn(PARAMETER_BYTES, name) ? name : null, inName: false, cap: parameterCap(name) };
  }
  return null;
}

/** A fixed sentence for an error description (RFC 6749 section 5.2 characters only, no request text). */
export function oversizedDescription(oversized: OversizedParameter): string {
  if (oversized.inName) return `A parameter name is longer than ${oversized.cap} bytes.`;
  return oversized.name === null
    ? `A parameter is longer than ${oversized.cap} bytes.`
    : `The ${oversized.name} parameter is longer than ${oversized.cap} bytes.`;
}
