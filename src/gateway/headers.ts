import type { IncomingHttpHeaders } from 'node:http';

/** Header fields as node and undici hand them over: lower-case names, repeats as arrays. */
export type HeaderMap = Record<string, string | string[] | undefined>;

// RFC 9110 section 7.6.1 (plus the obsolete Proxy-Connection some clients still send): they describe
// one connection, so a proxy never passes them on.
export const hopByHop: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

// Shared by every call without a Connection field (the common case, on requests and responses alike).
const noOptions: readonly string[] = [];

/** The field names a Connection field lists (lower case); they describe the connection too. */
// The two values nearly every request and response carries, answered without splitting: keep-alive
// names a field that is hop-by-hop anyway, so it drops nothing more than no Connection field does.
const closeOnly: readonly string[] = Object.freeze(['close']);

export function connectionOptions(value: string | string[] | undefined): readonly string[] {
  if (value === undefined) return noOptions;
  if (typeof value === 'string' && value.length <= 10) {
    if (value === 'keep-alive' || value === 'Keep-Alive') return noOptions;
    if (value === 'close' || value === 'Close') return closeOnly;
  }
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * A copy of the end-to-end fields: hop-by-hop fields, every field the Connection header names, and
 * whatever `drop` refuses are left out. One pass and no deletes, because this runs on every request.
 */
export function copyHeaders(headers: IncomingHttpHeaders | HeaderMap, drop?: (name: string) => boolean): HeaderMap {
  const named = connectionOptions(headers.connection);
  const out: HeaderMap = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || hopByHop.has(name) || (named.length > 0 && named.includes(name)) || drop?.(name)) continue;
    out[name] = value;
  }
  return out;
}

/** The first value of a field, whichever shape node gave it. */
export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
