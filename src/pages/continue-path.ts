// Where /login may send the browser afterwards: a path on this gateway, never another site.
// Browsers read "//host", "/\host" and paths with tabs or newlines stripped as other origins,
// so only a plain absolute path is accepted, and the URL parser gets the last word.

const probeOrigin = 'http://gateway.invalid';

export function isSafeContinuePath(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return false;
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
