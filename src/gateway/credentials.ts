import { parameterName } from '../http/form';

/**
 * The client's credentials as request parameters: the gateway checks them, the upstream never sees
 * them (unless a route sets `forwardCredentials`). The Authorization header is left out in
 * upstream-request.ts.
 */

/** OAuth 1.0a protocol parameters (RFC 5849 section 3.5: header, form body or query). */
const isOAuthParameter = (name: string): boolean => name.startsWith('oauth_');

/** OAuth 1.0a protocol parameters and an RFC 6750 query token: credentials, not API input. */
function isCredentialParameter(name: string): boolean {
  return isOAuthParameter(name) || name === 'access_token';
}

/** A form-encoded string without the pairs `drop` names; the very same string when none is dropped. */
function withoutParameters(text: string, drop: (name: string) => boolean): string {
  const pairs = text.split('&');
  const kept = pairs.filter((pair) => !drop(parameterName(pair)));
  return kept.length === pairs.length ? text : kept.filter((pair) => pair !== '').join('&');
}

/**
 * The query the upstream receives: without oauth_* and access_token parameters unless the route
 * forwards credentials. Other parameters keep their exact bytes and order.
 */
export function queryWithoutCredentials(query: string, forward: boolean): string {
  // Fast path, and keeps a query without credentials byte for byte (a name could hide "oauth_" only behind an escape).
  if (forward || !query || !/oauth_|access_token|%/i.test(query)) return query;
  return withoutParameters(query, isCredentialParameter);
}

/**
 * A form body the gateway read for an OAuth 1.0a signature, without its oauth_* parameters: with
 * PLAINTEXT, oauth_signature is both secrets. Other pairs keep their exact bytes (read as Latin-1, so
 * no byte is re-encoded) and order; the same Buffer comes back when there was nothing to remove.
 */
export function formWithoutOAuthParameters(body: Buffer): Buffer {
  const text = body.toString('latin1');
  if (!/oauth_|%/i.test(text)) return body;
  const kept = withoutParameters(text, isOAuthParameter);
  return kept === text ? body : Buffer.from(kept, 'latin1');
}
