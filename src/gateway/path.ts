import { ProtocolError } from '../http/protocol-error';

/**
 * One spelling per path. Upstreams and the frameworks behind them read a path differently: servlet
 * containers cut ";parameters" from segments, some collapse "//", Windows-based servers drop a
 * trailing "." or space, Spring trims whitespace, frameworks decode "%41" or not and match case or
 * not, some apply Unicode NFKC or Windows "best-fit" conversion (fullwidth "\uFF41" becomes "a") or
 * strip invisible characters. Whatever spelling the gateway matched its route table on must be the
 * only reading an upstream can make of it, so every spelling that some upstream reads as another path
 * is refused, and what is left is matched case-insensitively (routes.ts).
 */
const pathRefused = () =>
  new ProtocolError('invalid_path', 'The request path is not in canonical form (dot or empty segments, ";", encoded slashes, unreserved characters, whitespace, invalid UTF-8 or characters read as others).');

const SLASH = 0x2f;
const PERCENT = 0x25;
const DOT = 0x2e;

/**
 * Bytes that must never appear percent-encoded, at any depth of encoding: the unreserved characters
 * (RFC 3986 section 2.3: "%61" and "a" are one path, so only the plain one is allowed), "/" and "\"
 * (a segment boundary some upstream would see), ";" (path parameters) and control characters.
 */
const refusedEscape = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) refusedEscape[b] = 1;
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/\\;\x7f") refusedEscape[c.charCodeAt(0)] = 1;

/**
 * Raw characters a path may carry: visible ASCII minus "\" and ";". Node's parser already refuses
 * spaces, controls and bytes above 0x7e; the table says so again rather than rely on it.
 */
const allowedRaw = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) allowedRaw[c] = 1;
allowedRaw[0x5c] = 0; // \
allowedRaw[0x3b] = 0; // ;

// Whitespace as JavaScript, Python (str.strip: also U+0085) and Java/Spring trim it; the control
// characters among them never get this far (refusedEscape), and U+180E and U+200B are format
// characters, refused anywhere (formatCharacter).
const edgeWhitespace = /^[\s\u0085]|[\s\u0085]$/;
// Format characters (general category Cf: zero-width space and joiners, soft hyphen, word joiner,
// byte order mark, bidi controls, tags, ...): invisible, and stripped by some upstreams, so
// "adm\u200Bin" would be "admin" to them.
const formatCharacter = /\p{Cf}/u;
const nonAscii = /[^\x00-\x7f]/;
const ascii = /[\x00-\x7f]/;
// Look-alikes of "/", "\" and "." that Windows "best-fit" conversion to an ANSI code page maps to
// them while NFKC leaves them be (NFKC already maps U+FF0F, U+FF3C, U+FE68 and U+FF0E to ASCII):
// division slash, fraction slash, set minus, reverse solidus operator, ideographic full stop and its
// halfwidth form, and the yen and won signs that are "\" in the Japanese and Korean code pages.
const bestFitSeparators = new Set([0x2215, 0x2044, 0x2216, 0x29f5, 0x3002, 0xff61, 0xa5, 0x20a9]);
// Turkish dotted capital I and dotless small i: their upper or lower case is an ASCII letter, so a
// comparison ignoring case one character at a time (Java's equalsIgnoreCase) reads "adm\u0131n" as "admin".
const caseMapsToAscii = new Set([0x130, 0x131]);
const escapeAt = /%[0-9A-Fa-f]{2}/;

/**
 * A character an upstream could read as ASCII, or not at all: a format character, a best-fit
 * separator, or one whose NFKC form holds an ASCII character (fullwidth "\uFF41" is "a", "\uFF0E\uFF0E"
 * is "..", the long s and the Kelvin sign are "s" and "K", a no-break space is a space). Only text
 * with a character above ASCII is looked at.
 */
function hasAsciiLookAlike(text: string): boolean {
  if (!nonAscii.test(text)) return false;
  if (formatCharacter.test(text)) return true;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code < 0x80) continue;
    if (bestFitSeparators.has(code) || caseMapsToAscii.has(code)) return true;
    const compatible = character.normalize('NFKC');
    if (compatible !== character && ascii.test(compatible)) return true;
  }
  return false;
}

const hexValue = (code: number): number =>
  code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x41 && code <= 0x46 ? code - 0x37 : code >= 0x61 && code <= 0x66 ? code - 0x57 : -1;

/** The byte a "%HH" at `i` encodes, or -1 when it is not a well-formed escape. */
function escapedByte(text: string, i: number): number {
  const high = hexValue(text.charCodeAt(i + 1));
  const low = hexValue(text.charCodeAt(i + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/** Refuses escapes of refused bytes; in the request's own layer (`strict`) a "%" must start an escape. */
function checkEscapes(layer: string, strict: boolean): void {
  for (let i = layer.indexOf('%'); i >= 0; i = layer.indexOf('%', i + 1)) {
    const byte = escapedByte(layer, i);
    if (byte < 0) {
      if (strict) throw pathRefused();
      continue;
    }
    if (refusedEscape[byte]) throw pathRefused();
  }
}

// fatal: invalid UTF-8 (a lone lead byte, an overlong "%C0%AE", an encoded surrogate) throws rather
// than becoming U+FFFD; ignoreBOM: a leading U+FEFF is kept, to be refused, not silently dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One layer of decoding. Each run of consecutive escapes must be valid UTF-8, at every layer (a
 * "%C0%AE" under "%25" is as overlong as one on the wire); a "%" that starts no escape is kept as it
 * is (checkEscapes refused it already in the request's own layer; below it, "100%off" is text).
 */
function decodeLayer(layer: string): string {
  let decoded = '';
  let copied = 0;
  for (let i = layer.indexOf('%'); i >= 0; i = layer.indexOf('%', i + 1)) {
    if (escapedByte(layer, i) < 0) continue;
    const bytes: number[] = [];
    let end = i;
    while (layer.charCodeAt(end) === PERCENT) {
      const byte = escapedByte(layer, end);
      if (byte < 0) break;
      bytes.push(byte);
      end += 3;
    }
    let text: string;
    try {
      text = utf8.decode(Uint8Array.from(bytes));
    } catch {
      throw pathRefused();
    }
    decoded += layer.slice(copied, i) + text;
    copied = end;
    i = end - 1;
  }
  return decoded + layer.slice(copied);
}

/**
 * A segment with escapes, checked at each layer of encoding an upstream might peel ("%2561" is "%61"
 * to one that decodes twice): no refused escape, valid UTF-8, no whitespace at either end, no format
 * character and nothing an upstream could read as ASCII (hasAsciiLookAlike). Four layers is beyond
 * any real client.
 */
function checkEncodedSegment(segment: string): void {
  let layer = segment;
  for (let depth = 0; depth < 4; depth++) {
    checkEscapes(layer, depth === 0);
    const decoded = decodeLayer(layer);
    if (edgeWhitespace.test(decoded) || hasAsciiLookAlike(decoded)) throw pathRefused();
    if (!escapeAt.test(decoded)) return;
    layer = decoded;
  }
  throw pathRefused();
}

/** Upper-case hex digits in escapes (RFC 3986 section 6.2.2.1): "%c3%a9" and "%C3%A9" are one spelling. */
function upperCaseEscapes(path: string): string {
  return path.replace(/%[0-9A-Fa-f]{2}/g, (escape) => escape.toUpperCase());
}

/**
 * Checks a raw request path (ctx.path, still percent-encoded) and returns its canonical spelling, or
 * throws a 400 invalid_path refusal. Refused: a path not starting with "/"; ";" and "\"
 * plain or encoded; empty segments ("//"; a trailing "/" is allowed); a segment ending in "."
 * (so "." and ".." too, and "admin." that Windows reads as "admin"); a segment starting or ending
 * with whitespace; escapes of unreserved characters, "/", control characters, and malformed escapes;
 * escapes that are not valid UTF-8 (a lone "%C3", the overlong "%C0%AE"); escaped characters an
 * upstream may read as ASCII or drop: any whose NFKC form holds an ASCII character (fullwidth letters
 * and "\uFF0E", "\u017F", the Kelvin sign, a no-break space), the best-fit look-alikes of "/", "\" and
 * "." that NFKC keeps, and format characters (zero-width, soft hyphen, bidi controls) anywhere in a
 * segment; the same inside double-encoded escapes ("%252e", "%25C0%25AE": every layer, where only a
 * "%" that starts no escape may stay). One pass over the characters, without allocating, for the
 * common path without escapes (raw bytes above ASCII are refused); the Unicode checks only run on
 * segments with escapes.
 */
export function normalisePath(rawPath: string): string {
  if (rawPath.charCodeAt(0) !== SLASH) throw pathRefused();
  const length = rawPath.length;
  let segmentStart = 1;
  let segmentHasEscape = false;
  let hasEscape = false;
  for (let i = 1; i <= length; i++) {
    const code = i < length ? rawPath.charCodeAt(i) : SLASH;
    if (code === SLASH) {
      if (i === segmentStart) {
        // Empty: only the very end (a trailing slash, or the root) may be.
        if (i < length) throw pathRefused();
      } else {
        if (rawPath.charCodeAt(i - 1) === DOT) throw pathRefused();
        if (segmentHasEscape) checkEncodedSegment(rawPath.slice(segmentStart, i));
      }
      segmentStart = i + 1;
      segmentHasEscape = false;
    } else if (code === PERCENT) {
      segmentHasEscape = true;
      hasEscape = true;
    } else if (code > 0x7f || allowedRaw[code] === 0) {
      throw pathRefused();
    }
  }
  return hasEscape ? upperCaseEscapes(rawPath) : rawPath;
}
