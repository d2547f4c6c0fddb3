// Where /login may send the browser afterwards: a path on this gateway, never another site.
// Browsers read "//host", "/\host" and paths with tabs or newlines stripped as other origins,
// so only a plain absolute path is accepted, and the URL parser gets the last word.

const probeOrigin = 'http://gateway.invalid';
/**
 * A flow's way back can carry a signed ticket with the whole request (a 4 KiB state and more), so
 * the bound is the size of a request line a server takes (Node's default is 16 KiB of headers).
 */
export const MAX_CONTINUE_PATH_LENGTH = 16 * 1024;

export function isSafeContinuePath(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CONTINUE_PATH_LENGTH) return false;
  if (value[0] !== '/' || value[1] === '/') return false;
  if (value.includes('\\')) return false;
  // Printable ASCII only: browsers strip tabs and newlines before parsing a URL, and a Location
  // header can't carry anything else (request targets arrive percent-encoded anyway).
  if (!/^[\x21-\x7e]+$/.test(value)) return false;
  try {
    return new URL(value, probeOrigin).origin === probeOrigin;
  } catch {
    return false;
  }
}
