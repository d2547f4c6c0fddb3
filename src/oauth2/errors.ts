import type { Context } from 'koa';
import { ProtocolError } from '../http/errors';
import { noStore } from '../http/security-headers';

/** An HTTP quoted-string (RFC 9110 section 5.6.4), for challenge parameters such as realm. */
export function quotedString(value: string): string {
  return '"' + value.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

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
  // RFC 6749 section 4.1.2.1's code for an overloaded server, also answered by the token endpoint (503).
  | 'temporarily_unavailable';

export interface OAuth2ErrorOptions {
  /** 400 unless given (invalid_client is 401: see OAuth2Error.invalidClient). */
  status?: number;
  headers?: Record<string, string>;
}

/**
 * An error answered as RFC 6749 section 5.2 JSON. The description is a sentence for a developer; it
 * must stay within the characters section 5.2 allows (no quotes, no backslash, ASCII only) and never
 * carry a credential.
 */
export class OAuth2Error extends ProtocolError {
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly error: OAuth2ErrorCode,
    description: string,
    options: OAuth2ErrorOptions = {},
  ) {
    super(description, options.status ?? 400);
    this.headers = { ...(options.headers ?? {}) };
  }

  /**
   * Unknown client, wrong secret, disabled client, missing secret: one answer for all, so a caller
   * learns nothing about which client ids exist (RFC 6749 section 5.2 asks for 401 and a challenge).
   */
  static invalidClient(realm: string): OAuth2Error {
    return new OAuth2Error('invalid_client', 'This client is invalid or must authenticate using a client secret.', {
      status: 401,
      headers: { 'WWW-Authenticate': `Basic realm=${quotedString(realm)}` },
    });
  }

  /** Too many credential checks in progress (the hashing queue is full): 503, come back shortly. */
  static busy(retryAfterSeconds: number): OAuth2Error {
    return new OAuth2Error('temporarily_unavailable', 'The server is busy checking credentials; try again shortly.', {
      status: 503,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }

  static missing(name: string): OAuth2Error {
    return new OAuth2Error('invalid_request', `Missing parameter: ${name}.`);
  }

  respond(ctx: Context): void {
    ctx.status = this.status;
    ctx.set(this.headers);
    noStore(ctx);
    ctx.body = { error: this.error, error_description: this.message };
  }
}
