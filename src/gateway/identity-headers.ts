import type { Identity } from '../identity';
import type { HeaderMap } from './headers';

// Upstreams that map headers to CGI-style variables (HTTP_X_AUTHENTICATED_USER) read "_" as "-", so a
// client's X-Authenticated_User is a spoof too. Names arrive lower-cased from node.
export function isIdentityField(name: string): boolean {
  if (!name.startsWith('x-auth')) return false;
  const n = name.replace(/_/g, '-');
  return n.startsWith('x-authenticated-') || n === 'x-auth-protocol';
}

// Header values must be visible ASCII; anything else (a Unicode username) is sent as percent-encoded
// UTF-8, and so is "%" itself so the upstream can always decode.
function headerValue(value: string): string {
  return /^[\x20-\x24\x26-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/**
 * Writes the verified identity (nothing, on a public route) into fields from which the client's own
 * copies were already dropped (isIdentityField): the upstream can trust X-Authenticated-* because
 * only the gateway writes them.
 */
export function setIdentityHeaders(headers: HeaderMap, identity: Identity | null): void {
  if (!identity) return;
  const fields: Record<string, string | null> = {
    'x-authenticated-user': identity.username,
    'x-authenticated-user-id': identity.userId,
    'x-authenticated-client': identity.clientId,
    'x-authenticated-scope': identity.scopes.length ? identity.scopes.join(' ') : null,
    'x-authenticated-privileges': identity.privileges.length ? identity.privileges.join(',') : null,
    'x-auth-protocol': identity.protocol,
  };
  for (const name in fields) {
    const value = fields[name];
    if (value !== null) headers[name] = headerValue(value);
  }
}

function parameterName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** OAuth 1.0a protocol parameters and an RFC 6750 query token: credentials, not API input. */
export function isCredentialParameter(name: string): boolean {
  return name.startsWith('oauth_') || name === 'access_token';
}

/**
 * The query the upstream receives: without oauth_* and access_token parameters unless the route
 * forwards credentials. Other parameters keep their exact bytes and order.
 */
export function queryWithoutCredentials(query: string, forward: boolean): string {
  // Fast path, and keeps a query without credentials byte for byte (a name could hide "oauth_" only behind an escape).
  if (forward || !query || !/oauth_|access_token|%/i.test(query)) return query;
  return query
    .split('&')
    .filter((pair) => pair !== '' && !isCredentialParameter(parameterName(pair)))
    .join('&');
}
