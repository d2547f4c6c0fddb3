import { ProtocolError } from '../http/protocol-error';

/**
 * One spelling per path. Upstreams and the frameworks behind them read a path differently: servlet
 * containers cut ";parameters" from segments, some collapse "//", Windows-based servers drop a
 * trailing "." or space, Spring trims whitespace, frameworks decode "%41" or not and match case or
 * not. Whatever spelling the gateway matched its route table on must be the only reading an upstream
 * can make of it, so every spelling that some upstream reads as another path is refused, and what is
 * left is matched case-insensitively (routes.ts).
 */
const pathRefused = () =>
  new ProtocolError('invalid_path', 'The request path is not in canonical form (dot or empty segments, ";", encoded slashes, unreserved characters or whitespace).');

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

// Whitespace as JavaScript, Python (str.strip: also U+0085) and Java/Spring trim it, plus U+180E and U+200B;
// the control characters among them never get this far (refusedEscape).
const edgeWhitespace = /^[\s\u0085\u180e\u200b]|[\s\u0085\u180e\u200b]$/;
// The only characters whose Unicode case folding is an ASCII letter: long s (s) and the Kelvin sign (k).
const foldsToAscii = /[\u017f\u212a]/;
const escapeAt = /%[0-9A-Fa-f]{2}/;

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

/** One layer of decoding: UTF-8 that must be valid for the request's own layer, loose (Latin-1 fallback) below it. */
function decodeLayer(layer: string, strict: boolean): string {
  try {
    return decodeURIComponent(layer);
  } catch {
    if (strict) throw pathRefused();
    return layer.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/**
 * A segment with escapes, checked at each layer of encoding an upstream might peel ("%2561" is "%61"
 * to one that decodes twice): no refused escape, valid UTF-8, no whitespace at either end, nothing
 * that case-folds to ASCII. Four layers is beyond any real client.
 */
function checkEncodedSegment(segment: string): void {
  let layer = segment;
  for (let depth = 0; depth < 4; depth++) {
    const strict = depth === 0;
    checkEscapes(layer, strict);
    const decoded = decodeLayer(layer, strict);
    if (edgeWhitespace.test(decoded) || foldsToAscii.test(decoded)) throw pathRefused();
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
 * with whitespace; escapes of unreserved characters, "/", control characters, and malformed escapes
 * or invalid UTF-8; the same inside double-encoded escapes ("%252e"). One pass over the characters
 * for the common path without escapes.
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
