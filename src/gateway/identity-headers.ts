import type { Identity } from '../identity';
import type { HeaderMap } from './headers';

/**
 * A client's copy of an identity field, whatever it is called after it (X-Authenticated-Role too).
 * Names arrive lower-cased from node; names with "_" are dropped before this is asked (upstream-request.ts).
 */
export function isIdentityField(name: string): boolean {
  return name.startsWith('x-authenticated-') || name === 'x-auth-protocol';
}

// Header values must be visible ASCII; anything else (a Unicode username) is sent as percent-encoded
// UTF-8, and so is "%" itself so the upstream can always decode.
function headerValue(value: string | null): string {
  if (value === null) return '';
  return /^[\x20-\x24\x26-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/**
 * Writes the verified identity into fields from which the client's own copies were already dropped.
 * Every field is always sent, empty when it has no value (a public route, a token without a user): an
 * upstream that merges spellings or repeats of a field (CGI's HTTP_X_AUTHENTICATED_USER) then always
 * holds the gateway's value, never only a client's.
 */
export function setIdentityHeaders(headers: HeaderMap, identity: Identity | null): void {
  headers['x-authenticated-user'] = headerValue(identity?.username ?? null);
  headers['x-authenticated-user-id'] = headerValue(identity?.userId ?? null);
  headers['x-authenticated-client'] = headerValue(identity?.clientId ?? null);
  headers['x-authenticated-scope'] = headerValue(identity ? identity.scopes.join(' ') : null);
  headers['x-authenticated-privileges'] = headerValue(identity ? identity.privileges.join(',') : null);
  headers['x-auth-protocol'] = identity?.protocol ?? '';
  headers['x-authenticated-issuer'] = headerValue(identity?.issuer ?? null);
}
