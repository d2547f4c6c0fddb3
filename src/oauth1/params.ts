import { MalformedEncodingError, parseForm } from '../http/form';
import { percentDecode } from './encoding';
import { OAuth1Problem, parameterList } from './problems';

/**
 * Collects the request parameters RFC 5849 section 3.4.1.3.1 signs: the `Authorization: OAuth`
 * header (minus realm), a single-part form body, and the query. Pure: the caller hands in the raw
 * header, content type, body text and query text.
 */

export type ParameterSource = 'header' | 'body' | 'query';
export type Pair = [name: string, value: string];

/** The Authorization header is OAuth but cannot be parsed. */
export class MalformedHeader extends OAuth1Problem {
  constructor() {
    super('parameter_rejected', { advice: 'The Authorization header is not a well-formed OAuth header.' });
  }
}

/** A protocol parameter sent more than once; RFC 5849 section 3.2 answers 400. */
export class DuplicateParameter extends OAuth1Problem {
  constructor(readonly names: readonly string[]) {
    super('parameter_rejected', {
      advice: `Parameter given more than once: ${names.join(', ')}.`,
      extra: { oauth_parameters_rejected: parameterList(names) },
    });
  }
}

/** oauth_* are the protocol's own; xAuth's x_auth_* carry credentials and are guarded the same way. */
function isProtocolParameter(name: string): boolean {
  return name.startsWith('oauth_') || name.startsWith('x_auth_');
}

export interface AuthorizationHeaderParams {
  params: Pair[];
  realm: string | null;
}

const OAUTH_SCHEME = /^OAuth(?:[ \t]+|$)/i;
// RFC 7230 tchar, as a table by character code: the parser asks once per character of every header.
const TOKEN_CHARS = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN_CHARS[c.charCodeAt(0)] = 1;
const isTokenChar = (code: number) => code < 128 && TOKEN_CHARS[code] === 1;
const isSpace = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * The quoted-string starting after the opening quote at `pos`: its text with quoted-pairs resolved,
 * and the position after the closing quote (-1 when it never closes).
 */
function quotedString(text: string, pos: number): { raw: string; end: number } {
  const close = text.indexOf('"', pos);
  const escape = text.indexOf('\\', pos);
  // The common case, no backslash before the closing quote: the value is a plain slice.
  if (close >= 0 && (escape < 0 || escape > close)) return { raw: text.slice(pos, close), end: close + 1 };
  let raw = '';
  while (pos < text.length) {
    const c = text[pos];
    if (c === '"') return { raw, end: pos + 1 };
    if (c === '\\') {
      // quoted-pair: the next character stands for itself.
      if (pos + 1 >= text.length) break;
      raw += text[pos + 1];
      pos += 2;
      continue;
    }
    raw += c;
    pos++;
  }
  return { raw, end: -1 };
}

/**
 * Parses `OAuth realm="x", oauth_consumer_key="y", ...` (RFC 5849 section 3.5.1). Returns null when
 * the header is absent or uses another scheme: that header is not ours to judge. Values are
 * percent-decoded once; realm is an RFC 2617 quoted string and is returned undecoded.
 */
export function parseAuthorizationHeader(header: string | undefined | null): AuthorizationHeaderParams | null {
  if (!header) return null;
  const text = header.trim();
  const scheme = OAUTH_SCHEME.exec(text);
  if (!scheme) return null;

  const params: Pair[] = [];
  const seen = new Set<string>();
  const repeated = new Set<string>();
  let realm: string | null = null;
  let pos = scheme[0].length;

  while (pos < text.length) {
    // Empty list elements (stray commas) are tolerated, as RFC 7230 section 7 asks.
    while (isSpace(text[pos]) || text[pos] === ',') pos++;
    if (pos >= text.length) break;

    const nameStart = pos;
    while (pos < text.length && isTokenChar(text.charCodeAt(pos))) pos++;
    if (pos === nameStart) throw new MalformedHeader();
    const rawName = text.slice(nameStart, pos);

    while (isSpace(text[pos])) pos++;
    if (text[pos] !== '=') throw new MalformedHeader();
    pos++;
    while (isSpace(text[pos])) pos++;
    if (text[pos] !== '"') throw new MalformedHeader();
    pos++;

    const quoted = quotedString(text, pos);
    if (quoted.end < 0) throw new MalformedHeader();
    const raw = quoted.raw;
    pos = quoted.end;

    // Between parameters only whitespace and a comma may appear.
    while (isSpace(text[pos])) pos++;
    if (pos < text.length && text[pos] !== ',') throw new MalformedHeader();

    let name: string;
    let value: string;
    let isRealm: boolean;
    try {
      name = percentDecode(rawName);
      isRealm = name.toLowerCase() === 'realm';
      value = isRealm ? raw : percentDecode(raw);
    } catch (err) {
      if (err instanceof MalformedEncodingError) throw new MalformedHeader();
      throw err;
    }
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
    if (isRealm) realm = value;
    else params.push([name, value]);
  }

  if (repeated.size > 0) throw new DuplicateParameter([...repeated]);
  return { params, realm };
}

/**
 * application/x-www-form-urlencoded decoding (also used for the query), the same for every protocol
 * (http/form.ts): a malformed encoding is refused with MalformedEncodingError, reported as
 * parameter_rejected.
 */
export function parseFormEncoded(text: string, source: 'body' | 'query'): Pair[] {
  return parseForm(text, source === 'body' ? 'form body' : 'query string');
}

/**
 * RFC 5849 section 3.4.1.3.1 signs the body only when it is single-part form data. A charset
 * parameter is fine; multipart, JSON or a missing type means the body is not ours to read.
 */
export function isFormContentType(contentType: string | undefined | null): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';', 1)[0].trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded';
}

export interface RequestParameterInput {
  authorization?: string | null;
  contentType?: string | null;
  /** The raw body text; read only when contentType is form-encoded. */
  body?: string | null;
  /** The raw query string, without the leading `?`. */
  query?: string | null;
}

export interface CollectedParameters {
  /** Every parameter from every source, repeats included: what the base string signs. */
  pairs: Pair[];
  /** The oauth_* and x_auth_* parameters, each known to occur once. */
  protocol: Record<string, string>;
  /** Where each protocol parameter came from (xAuth must not take credentials from the header). */
  sources: Record<string, ParameterSource>;
  /** The header's realm, when the header was OAuth and carried one. */
  realm: string | null;
}

export function collectParameters(input: RequestParameterInput): CollectedParameters {
  const header = parseAuthorizationHeader(input.authorization);
  const bySource: Array<[ParameterSource, Pair[]]> = [
    ['header', header?.params ?? []],
    ['body', isFormContentType(input.contentType) && input.body ? parseFormEncoded(input.body, 'body') : []],
    ['query', input.query ? parseFormEncoded(input.query, 'query') : []],
  ];

  const pairs: Pair[] = [];
  const protocol: Record<string, string> = {};
  const sources: Record<string, ParameterSource> = {};
  const repeated = new Set<string>();
  for (const [source, sourcePairs] of bySource) {
    for (const [name, value] of sourcePairs) {
      pairs.push([name, value]);
      if (!isProtocolParameter(name)) continue;
      if (Object.prototype.hasOwnProperty.call(protocol, name)) {
        repeated.add(name);
        continue;
      }
      protocol[name] = value;
      sources[name] = source;
    }
  }
  if (repeated.size > 0) throw new DuplicateParameter([...repeated]);
  return { pairs, protocol, sources, realm: header?.realm ?? null };
}
