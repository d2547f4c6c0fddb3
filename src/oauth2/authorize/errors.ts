/**
 * RFC 6749 section 4.1.2.1 / 4.2.2.1 error codes, plus OpenID Connect's login_required and
 * consent_required for prompt=none.
 */
export type AuthorizationErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'login_required'
  | 'consent_required'
  // RFC 9126 section 4: a request_uri that is unknown, expired, used, or another client's.
  | 'invalid_request_uri';

/**
 * A refusal that goes back to the client's (already verified) redirect URI. The description is a
 * fixed developer sentence within the characters RFC 6749 allows; it never carries request values.
 */
export class AuthorizationError extends Error {
  constructor(
    readonly error: AuthorizationErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'AuthorizationError';
  }
}

/**
 * A refusal that must not be redirected: the client is unknown or the redirect URI is not one of
 * its registered ones, so sending the browser there would make us an open redirector.
 */
export class LocalRefusal extends Error {
  constructor(
    readonly about: 'client' | 'redirect_uri',
    message: string,
  ) {
    super(message);
    this.name = 'LocalRefusal';
  }
}
