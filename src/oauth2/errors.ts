import { ProtocolError, retryAfter, type Challenge } from '../http/protocol-error';

/** RFC 6749 section 5.2 error codes, plus those of RFC 7009 and RFC 8628 the token endpoint may send. */
export type OAuth2ErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token'
  // RFC 8693 section 2.2.2: a token exchange asked for an audience or resource the server will not issue for.
  | 'invalid_target'
  // RFC 6749 section 4.1.2.1's code for an overloaded server, also answered by the token endpoint (503).
  | 'temporarily_unavailable'
  // RFC 9126 section 2.3: the pushed authorization request endpoint answers the authorization endpoint's codes.
  | 'unsupported_response_type';

export interface OAuth2ErrorOptions {
  /** 400 unless given (invalid_client is 401: see OAuth2Error.invalidClient). */
  status?: number;
  headers?: Record<string, string>;
  challenges?: readonly Challenge[];
}

/**
 * A refusal in RFC 6749's words: data only (the oauth2 renderer writes the section 5.2 JSON, the
 * ClearPass renderer Problem Details). The description is a sentence for a developer; it must never
 * carry a credential, and stays within the characters section 5.2 allows (the renderer replaces
 * any other).
 */
export class OAuth2Error extends ProtocolError {
  constructor(error: OAuth2ErrorCode, description: string, options: OAuth2ErrorOptions = {}) {
    super(error, description, options);
  }

  get error(): OAuth2ErrorCode {
    return this.code as OAuth2ErrorCode;
  }

  /**
   * Unknown client, wrong secret, disabled client, missing secret: one answer for all, so a caller
   * learns nothing about which client ids exist (RFC 6749 section 5.2 asks for 401 and a challenge).
   */
  static invalidClient(realm: string): OAuth2Error {
    return new OAuth2Error('invalid_client', 'This client is invalid or must authenticate using a client secret.', {
      status: 401,
      challenges: [{ scheme: 'Basic', realm }],
    });
  }

  static missing(name: string): OAuth2Error {
    return new OAuth2Error('invalid_request', `Missing parameter: ${name}.`);
  }
}

// Section 5.2 has no word for a locked-out username (the password grant's 429) nor for a wrong
// method (405): both are a request the endpoint does not take.
const asInvalidRequest = new Set(['too_many_attempts', 'method_not_allowed']);

/** The RFC 6749 code of a refusal raised in the gateway's shared vocabulary (http/conditions.ts, http/method-not-allowed.ts). */
export function oauth2CodeFor(code: string): string {
  return asInvalidRequest.has(code) ? 'invalid_request' : code;
}
