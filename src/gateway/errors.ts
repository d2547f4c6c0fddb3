import { ProtocolError, retryAfter, type Challenge } from '../http/protocol-error';

export type UpstreamFailureKind =
  | 'connect_refused'
  | 'dns'
  | 'connect_timeout'
  | 'headers_timeout'
  | 'body_timeout'
  | 'reset'
  | 'other'
  // The upstream's connection cap (connection-slots.ts): its queue was full, or the wait too long.
  | 'queue_full'
  | 'queue_timeout'
  // The client sent no body byte for upstreamLimits.bodyIdleTimeoutSeconds: the gateway cut the exchange (408).
  | 'client_body_timeout';

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

/**
 * 408 when the client's body stalled (the gateway stopped the exchange), 503 with Retry-After when
 * the upstream's connections are all busy and its queue is full or the wait too long (come back shortly), 504 when the upstream was too slow, 502 when it could not be
 * reached or broke the exchange.
 */
export function upstreamError(kind: UpstreamFailureKind): ProtocolError {
  if (kind === 'client_body_timeout') return bodyIdleTimeout();
  if (kind === 'queue_full' || kind === 'queue_timeout') {
    return new ProtocolError('temporarily_unavailable', 'The upstream service is busy; try again shortly.', { status: 503, headers: retryAfter(1) });
  }
  if (kind === 'connect_timeout' || kind === 'headers_timeout' || kind === 'body_timeout') {
    return new ProtocolError('upstream_timeout', 'The upstream service did not answer in time.', { status: 504 });
  }
  return new ProtocolError('bad_gateway', 'The upstream service could not be reached.', { status: 502 });
}

// The rest of a stalled or refused body is never read, so the connection can't carry another request.
export const bodyIdleTimeout = () =>
  new ProtocolError('request_timeout', 'The request body stopped arriving; send the request again.', { status: 408, headers: { Connection: 'close' } });

// RFC 9112 section 6.1: a transfer coding the server does not understand gets 501. Node decodes only
// the chunked framing of "gzip, chunked": forwarded, the upstream would take gzip bytes for the body.
export const transferCodingNotImplemented = () =>
  new ProtocolError('transfer_coding_not_implemented', 'The gateway accepts no transfer coding but chunked.', { status: 501, headers: { Connection: 'close' } });

export const bodyTooLarge = () =>
  new ProtocolError('request_too_large', 'The request body is larger than this route accepts.', { status: 413, headers: { Connection: 'close' } });

/**
 * 401 on a protected route that got no credential at all: one challenge per accepted protocol
 * (RFC 9110 section 11.6.1 allows several), so a client learns which schemes it may use.
 */
export const credentialRequired = (challenges: readonly Challenge[]) =>
  new ProtocolError('unauthorized', 'This resource needs an OAuth credential.', { status: 401, challenges });

export const insufficientPrivileges = () =>
  new ProtocolError('insufficient_privileges', 'The caller does not hold the privileges this resource needs.', { status: 403 });
