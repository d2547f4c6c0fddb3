import type { Context } from 'koa';
import { GatewayError, ProtocolError } from '../http/errors';
import { noStore } from '../http/security-headers';

export type UpstreamFailureKind = 'connect_refused' | 'dns' | 'connect_timeout' | 'headers_timeout' | 'body_timeout' | 'reset' | 'other';

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}

/** What went wrong talking to an upstream, from undici's or the socket's error code. */
export function upstreamFailureKind(err: unknown): UpstreamFailureKind {
  switch (codeOf(err)) {
    case 'ECONNREFUSED':
      return 'connect_refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'connect_timeout';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'headers_timeout';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'body_timeout';
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    default:
      return 'other';
  }
}

/** 504 when the upstream was too slow, 502 when it could not be reached or broke the exchange. */
export function upstreamError(kind: UpstreamFailureKind): GatewayError {
  if (kind === 'connect_timeout' || kind === 'headers_timeout' || kind === 'body_timeout') {
    return new GatewayError(504, 'upstream_timeout', 'The upstream service did not answer in time.');
  }
  return new GatewayError(502, 'bad_gateway', 'The upstream service could not be reached.');
}

// The rest of the refused body is never read, so the connection can't carry another request.
export const bodyTooLarge = () =>
  new GatewayError(413, 'request_too_large', 'The request body is larger than this route accepts.', { Connection: 'close' });

/**
 * 401 on a protected route that got no credential at all: one challenge per accepted protocol
 * (RFC 9110 section 11.6.1 allows several), so a client learns which schemes it may use.
 */
export class CredentialRequired extends ProtocolError {
  constructor(readonly challenges: string[]) {
    super('This resource needs an OAuth credential.', 401);
  }
  respond(ctx: Context): void {
    ctx.status = 401;
    ctx.set('WWW-Authenticate', this.challenges);
    noStore(ctx);
    ctx.body = { error: 'unauthorized', error_description: this.message };
  }
}

export const insufficientPrivileges = () =>
  new GatewayError(403, 'insufficient_privileges', 'The caller does not hold the privileges this resource needs.');
