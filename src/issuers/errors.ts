/**
 * An external authorization server could not answer (refused, timed out, answered 5xx or nonsense)
 * when the gateway needed it for a token it had not verified before. Domain signal only:
 * http/conditions.ts words it as 503 temporarily_unavailable, so the request fails closed.
 */
export class IssuerUnavailableError extends Error {
  constructor(
    readonly issuer: string,
    readonly what: 'discovery' | 'jwks' | 'introspection',
  ) {
    super(`issuer ${issuer}: ${what} unavailable`);
    this.name = 'IssuerUnavailableError';
  }
}
