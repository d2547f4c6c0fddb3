import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Context, Next, RequestState } from './context';
import { clientAddress } from './client-address';
import type { EndpointMetrics } from './endpoint-metrics';
import type { Tracing } from '../tracing';
import { redactQuery, type Logger } from './logger';

export interface RequestContextOptions {
  /** Counts and times every request one of the gateway's own endpoints took (proxied routes count their own). */
  endpoints?: EndpointMetrics;
  /** server.trustedProxies: the access line names the client behind them. */
  trustedProxies?: readonly string[];
  /** The runtime's tracing, or null/absent when it is off. */
  tracing?: Tracing | null;
}

// An incoming X-Request-Id is kept only when it looks like an id, so log lines can't be forged through it.
const acceptableRequestId = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * What every request starts with in ctx.state. The child logger is made on first use: most
 * requests (a proxied one that goes well) never log through it, and making one costs pino a
 * serialisation of its bindings. The other fields of RequestState, all optional, are filled in as
 * the request goes (the interface below declares them on the class without defining them).
 */
interface StartedRequest extends Omit<RequestState, 'requestId' | 'log'> {}
class StartedRequest implements RequestState {
  private child: Logger | undefined;
  constructor(
    readonly requestId: string,
    private readonly logger: Logger,
    readonly peer: string | undefined,
  ) {}
  get log(): Logger {
    return (this.child ??= this.logger.child({ reqId: this.requestId }));
  }
}

/**
 * Gives every request an id (X-Request-Id), a child logger, and one access log line when it ends.
 * Only the path and parameter names are logged; values and credentials never are.
 */
export function requestContext(logger: Logger, accessLog: Logger, clock: Clock, options: RequestContextOptions = {}) {
  const { endpoints, trustedProxies = [], tracing = null } = options;
  return async function requestContextMiddleware(ctx: Context, next: Next): Promise<void> {
    const started = clock();
    const timer = performance.now();
    startRequest(ctx, logger);
    const span = tracing ? (ctx.state.span = tracing.startRequest(ctx)) : undefined;
    try {
      await (span ? tracing!.within(span, next) : next());
    } finally {
      if (span) tracing!.endRequest(span, ctx);
      // The proxy writes its own, richer access line (upstream timing); one line per request is enough.
      if (!ctx.state.accessLogged) logAccess(accessLog, ctx, clock() - started, trustedProxies);
      // A proxied route (routeName without endpoint) is counted by the gateway router; the rest
      // (health, metrics, 404s, preflights no endpoint took) share the endpoint "other".
      if (endpoints && (ctx.state.endpoint !== undefined || ctx.state.routeName === undefined)) {
        endpoints.request(ctx.state.endpoint ?? 'other', ctx.status, (performance.now() - timer) / 1000);
      }
    }
  };
}

/**
 * The request's id (the client's X-Request-Id when it looks like one) and state, and the id on the
 * response. `announce` false leaves the response field to the caller: the proxied entry writes it
 * with the upstream's fields in one writeHead, since a setHeader first sends node's writeHead down
 * its slow path (every field merged through setHeader).
 */
export function startRequest(ctx: Context, logger: Logger, announce = true): void {
  const incoming = ctx.req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && acceptableRequestId.test(incoming) ? incoming : randomUUID();
  ctx.state = new StartedRequest(requestId, logger, ctx.req.socket?.remoteAddress);
  if (announce) ctx.res.setHeader('X-Request-Id', requestId);
}

/**
 * The access line of a request that has none yet (the proxy writes its own, richer one). Field names
 * are camelCase, the same in every line (README "Log fields"). Values are ids and codes, never
 * secrets: the client_id, the username and the error code are named, a token or password never is.
 */
export function logAccess(log: Logger, ctx: Context, ms: number, trustedProxies: readonly string[] = []): void {
  const { state } = ctx;
  const line: Record<string, unknown> = {
    reqId: state.requestId,
    method: ctx.method,
    url: redactQuery(ctx.originalUrl),
    status: ctx.status,
    ms,
    outcome: state.outcome,
    route: state.routeName,
    clientAddress: clientAddress(ctx, trustedProxies),
  };
  const clientId = state.client?.clientId ?? state.clientCredentials?.clientId ?? (state.identity?.protocol === 'oauth2' ? state.identity.clientId : undefined);
  if (clientId !== undefined) line.clientId = clientId;
  // A verified consumer's key, or the one a refused OAuth 1.0a request named (a key, never a secret).
  const consumerKey = state.consumer?.key ?? state.consumerKey ?? (state.identity?.protocol === 'oauth1' ? state.identity.clientId : undefined);
  if (consumerKey !== undefined) line.consumerKey = consumerKey;
  if (state.identity?.username) line.user = state.identity.username;
  if (state.errorCode !== undefined) line.error = state.errorCode;
  if (ctx.status >= 500) log.warn(line, 'request');
  else log.info(line, 'request');
}
