import type { Challenge, ProtocolError } from '../protocol-error';

/** An HTTP quoted-string (RFC 9110 section 5.6.4): the realm and every other challenge parameter. */
export function quotedString(value: string): string {
  return '"' + value.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

/**
 * The characters RFC 6749 section 5.2 allows in error_description (and RFC 6750 section 3 in a
 * challenge's): printable ASCII without `"` and `\`. Anything else becomes `?`, so no description can
 * break a header line or a client's parser.
 */
export function safeDescription(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

/** One challenge, e.g. `Bearer realm="api", error="invalid_token", error_description="..."`. */
export function challengeHeader(challenge: Challenge, error: Pick<ProtocolError, 'code' | 'description'>): string {
  const parts = [`realm=${quotedString(challenge.realm)}`];
  if (challenge.withError) parts.push(`error=${quotedString(error.code)}`, `error_description=${quotedString(safeDescription(error.description))}`);
  if (challenge.scope && challenge.scope.length > 0) parts.push(`scope=${quotedString(challenge.scope.join(' '))}`);
  return `${challenge.scheme} ${parts.join(', ')}`;
}

/** The WWW-Authenticate field for a refusal's challenges (RFC 9110 section 11.6.1: several may be sent), or none. */
export function authenticateHeader(error: ProtocolError, challenges = error.challenges): Record<string, string | string[]> {
  if (challenges.length === 0) return {};
  const values = challenges.map((c) => challengeHeader(c, error));
  return { 'WWW-Authenticate': values.length === 1 ? values[0] : values };
}
