import { GatewayError } from '../http/errors';

// RFC 3986 section 2.3: these never need encoding, so "%61" and "a" name the same path.
const unreserved = /[A-Za-z0-9\-._~]/;
const escape = /%([0-9A-Fa-f]{2})/g;

export class PathRefusedError extends GatewayError {
  constructor() {
    super(400, 'invalid_path', 'The request path contains encoded slashes or dot segments.');
  }
}

const dotSegment = /(?:^|\/)\.\.?(?:\/|$)/;
const hasDotSegment = (path: string): boolean => dotSegment.test(path);

// Decodes every escape byte by byte, ignoring malformed ones: only '.', '/' and '\' matter to the checks.
function looseDecode(text: string): string {
  return text.replace(escape, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Refuses a raw request path that could climb out of a route's prefix, whichever layer of encoding
 * hides it: dot segments ("..", "%2e%2e", "%252e%252e"), encoded slashes or backslashes ("%2f",
 * "%5c", "%252f") and NUL. Upstreams and the frameworks behind them decode differently, so the only
 * safe answer for these is none at all.
 */
export function assertSafePath(rawPath: string): void {
  if (!rawPath.startsWith('/')) throw new PathRefusedError();
  let layer = rawPath;
  // Each pass peels one layer of percent-encoding; four layers is beyond any real client.
  for (let depth = 0; depth < 4; depth++) {
    if (layer.includes('\\') || layer.includes('\0') || hasDotSegment(layer) || /%(2f|5c|00)/i.test(layer)) {
      throw new PathRefusedError();
    }
    if (!layer.includes('%')) return;
    const next = looseDecode(layer);
    if (next === layer) return;
    layer = next;
  }
  throw new PathRefusedError();
}

/**
 * RFC 3986 section 6.2.2 normalisation: unreserved characters decoded, other escapes upper-cased.
 * Routes are matched on this form and it is what the upstream receives, so "/%61dmin" cannot slip
 * past a stricter "/admin" route.
 */
export function canonicalPath(rawPath: string): string {
  if (!rawPath.includes('%')) return rawPath;
  return rawPath.replace(escape, (match, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return unreserved.test(char) ? char : match.toUpperCase();
  });
}

/** Checks then canonicalises a raw path (ctx.path, still percent-encoded). */
export function normalisePath(rawPath: string): string {
  assertSafePath(rawPath);
  const path = canonicalPath(rawPath);
  // Canonicalising can only reveal what assertSafePath already looked for; re-check as a guard.
  if (path !== rawPath) assertSafePath(path);
  return path;
}
