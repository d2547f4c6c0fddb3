import type { Context, Next } from './context';
import { alarmOf, internalError, outageOf, outcomeOf, protocolErrorOf } from './conditions';
import type { OutageCause, Outages } from './outages';
import type { Metrics } from './metrics';
import { renderError, type RenderOptions } from './render';

// Kept from a failing handler's response: the request id, CORS (a script must be able to read the
// refusal) and Vary (the answer still depends on what it varied on).
const keptHeader = (name: string) => name === 'x-request-id' || name === 'vary' || name.startsWith('access-control-');

/**
 * The one error mapper. Every refusal is protocol data (protocolErrorOf maps the shared conditions:
 * cache outage, full hashing queue, lockout, sealed secret); it is answered in the format the route
 * declared (error-format.ts), by that format's renderer. Anything else is a failure of ours: logged
 * with the request id and answered 500 with a fixed sentence, so no stack trace and no internal
 * message ever reaches a response.
 */
export function errorMapper(options: RenderOptions & { outages?: Outages; metrics?: Metrics }) {
  const { metrics } = options;
  return async function errorMapper(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      if (ctx.headerSent || !ctx.writable) {
        ctx.state.log?.warn({ err: errorSummary(err) }, 'error after the response started');
        return;
      }
      for (const name of Object.keys(ctx.response.headers)) {
        if (!keptHeader(name)) ctx.remove(name);
      }
      const alarm = alarmOf(err);
      if (alarm) ctx.state.log?.error({ err: errorSummary(err) }, alarm);
      const outage = outageOf(err);
      if (outage) {
        options.outages?.refused(outage, causeOf(err));
        metrics?.dependencyErrors.inc({ dependency: outage });
      }
      let error = protocolErrorOf(err);
      if (error) {
        // The gateway router has already named a proxied request's outcome (upstream_error, ...).
        ctx.state.outcome ??= outcomeOf(error);
        ctx.state.errorCode = error.code;
        // Known clients and consumers only (one the request authenticated or named and the store
        // holds): a label per client_id or consumer key a caller makes up would let anyone grow the
        // registry without bound.
        const client = ctx.state.client?.clientId ?? ctx.state.consumer?.key ?? 'unknown';
        metrics?.oauthErrors.inc({ endpoint: ctx.state.routeName ?? 'other', error: error.code, client });
      } else {
        ctx.state.log?.error({ err: errorSummary(err) }, 'unhandled error');
        error = internalError(ctx.state.requestId);
        ctx.state.outcome = 'error';
      }
      const answer = renderError(ctx.state.errorFormat ?? 'gateway', error, options, { requestId: ctx.state.requestId, chrome: ctx.state.pageChrome });
      ctx.status = answer.status;
      // Vary adds to what the answer already varies on (Origin, ...): set would replace it.
      const { Vary: vary, ...headers } = answer.headers;
      ctx.set(headers);
      if (vary) ctx.vary(vary);
      if (answer.type) ctx.type = answer.type;
      ctx.body = answer.body;
    }
  };
}

/** An outage's cause for its one log line: class, message and code, no stack (every refusal has the same one). */
function causeOf(err: unknown): OutageCause {
  const cause = (err as { cause?: unknown }).cause;
  const shown = cause instanceof Error ? cause : err;
  if (!(shown instanceof Error)) return { type: typeof shown, message: '' };
  const code = (shown as { code?: unknown }).code;
  return { type: shown.name, message: shown.message, ...(typeof code === 'string' ? { errorCode: code } : {}) };
}

/** What a log line may say about an error: its class, message and stack, never request data. */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { type: err.name, message: err.message, stack: err.stack };
  return { type: typeof err };
}
