import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Context, Next, RequestState } from './context';
import { redactQuery, type Logger } from './logger';

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
  ) {}
  get log(): Logger {
    return (this.child ??= this.logger.child({ reqId: this.requestId }));
  }
}

/**
 * Gives every request an id (X-Request-Id), a child logger, and one access log line when it ends.
 * Only the path and parameter names are logged; values and credentials never are.
 */
export function requestContext(logger: Logger, accessLog: Logger, clock: Clock) {
  return async function requestContextMiddleware(ctx: Context, next: Next): Promise<void> {
    const started = clock();
    startRequest(ctx, logger);
    try {
      await next();
    } finally {
      // The proxy writes its own, richer access line (upstream timing); one line per request is enough.
      if (!ctx.state.accessLogged) logAccess(accessLog, ctx, clock() - started);
    }
  };
}

/** The request's id (the client's X-Request-Id when it looks like one) and state, and the id on the response. */
export function startRequest(ctx: Context, logger: Logger): void {
  const incoming = ctx.req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && acceptableRequestId.test(incoming) ? incoming : randomUUID();
  ctx.state = new StartedRequest(requestId, logger);
  ctx.res.setHeader('X-Request-Id', requestId);
}

/** The access line of a request that has none yet (the proxy writes its own, richer one). */
export function logAccess(log: Logger, ctx: Context, ms: number): void {
  const line = {
    reqId: ctx.state.requestId,
    method: ctx.method,
    url: redactQuery(ctx.originalUrl),
    status: ctx.status,
    ms,
    outcome: ctx.state.outcome,
    route: ctx.state.routeName,
  };
  if (ctx.status >= 500) log.warn(line, 'request');
  else log.info(line, 'request');
}
