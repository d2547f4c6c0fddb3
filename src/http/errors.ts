import type { Context, Next } from 'koa';
import { CacheUnavailableError } from '../cache/types';
import { HashingBusyError } from '../crypto/hashing';
import { SealedSecretError } from '../crypto/sealed';

/**
 * An error that knows how to answer for itself in its protocol's format (OAuth 1.0a problem report,
 * RFC 6749 JSON, Problem Details, ...). Everything else becomes a bare 500 with no detail.
 */
export abstract class ProtocolError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
  /** Sets status, headers and body on the response. */
  abstract respond(ctx: Context): void;
}

/** The gateway's own plain JSON error, for paths that belong to no protocol. */
export class GatewayError extends ProtocolError {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {
    super(message, status);
  }
  respond(ctx: Context): void {
    ctx.status = this.status;
    ctx.set(this.extraHeaders);
    ctx.body = { error: this.code, error_description: this.message };
  }
}

/** Koa/http-errors style errors we may expose: 4xx with a status and a safe, fixed message. */
function clientErrorFrom(err: unknown): GatewayError | null {
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if (status < 400 || status >= 500) return null;
  const messages: Record<number, [string, string]> = {
    400: ['invalid_request', 'The request could not be parsed.'],
    405: ['method_not_allowed', 'Method not allowed.'],
    411: ['invalid_request', 'A Content-Length is required.'],
    413: ['request_too_large', 'The request body is larger than this gateway accepts.'],
    415: ['unsupported_media_type', 'The request body has an unsupported content type.'],
  };
  const [code, message] = messages[status] ?? ['invalid_request', 'The request was refused.'];
  return new GatewayError(status, code, message);
}

/**
 * The one error mapper. Protocol errors answer in their own format; a shared cache outage is 503;
 * anything unexpected is logged (with the request id) and answered with a fixed 500 body: no stack
 * trace and no internal message ever reaches a response.
 */
export async function errorMapper(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (ctx.headerSent || !ctx.writable) {
      ctx.state.log?.warn({ err: errorSummary(err) }, 'error after the response started');
      return;
    }
    // Drop whatever a failing handler may have set before it threw.
    for (const name of Object.keys(ctx.response.headers)) {
      if (!['x-request-id'].includes(name) && !name.startsWith('access-control-')) ctx.remove(name);
    }
    if (err instanceof ProtocolError) {
      err.respond(ctx);
      ctx.state.outcome = ctx.state.outcome ?? 'rejected';
      return;
    }
    if (err instanceof CacheUnavailableError) {
      ctx.state.log?.error({ err: errorSummary(err) }, 'shared cache unavailable');
      new GatewayError(503, 'temporarily_unavailable', 'The gateway cannot reach its shared state; try again shortly.', {
        'Retry-After': '5',
      }).respond(ctx);
      ctx.state.outcome = 'unavailable';
      return;
    }
    if (err instanceof HashingBusyError) {
      // Endpoints with their own format (the token endpoint, ClearPass) answer this themselves.
      new GatewayError(503, 'temporarily_unavailable', 'The gateway is busy checking credentials; try again shortly.', {
        'Retry-After': String(err.retryAfterSeconds),
      }).respond(ctx);
      ctx.state.outcome = 'unavailable';
      return;
    }
    if (err instanceof SealedSecretError) {
      // Checked at start, so the key changed under a running node (secrets rotate while it ran).
      ctx.state.log?.error({ err: { type: err.name } }, "a stored secret does not open with this node's secret key: restart it with the key the data is sealed with");
      new GatewayError(503, 'temporarily_unavailable', 'The gateway cannot serve this request right now; try again shortly.').respond(ctx);
      ctx.state.outcome = 'unavailable';
      return;
    }
    const clientError = clientErrorFrom(err);
    if (clientError) {
      clientError.respond(ctx);
      ctx.state.outcome = 'rejected';
      return;
    }
    ctx.state.log?.error({ err: errorSummary(err) }, 'unhandled error');
    ctx.status = 500;
    ctx.body = { error: 'server_error', error_description: 'Internal error.', request_id: ctx.state.requestId };
    ctx.state.outcome = 'error';
  }
}

/** What a log line may say about an error: its class, message and stack, never request data. */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { type: err.name, message: err.message, stack: err.stack };
  return { type: typeof err };
}
