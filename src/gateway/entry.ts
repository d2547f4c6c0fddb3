import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Clock } from '../clock';
import type { Context, Middleware, RequestState } from '../http/context';
import type { Logger } from '../http/logger';
import { logAccess, startRequest } from '../http/request-context';
import type { RouteFinder, RoutedRequest } from './router';
import type { Tracing } from '../tracing';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * URLs that parseurl (Koa's ctx.path and ctx.querystring) reads with its fast split at "?": a path
 * starting with "/" and none of the characters that make it fall back to url.parse. Any other URL
 * goes through Koa, so the entry never reads a path differently from the routers.
 */
const plainUrl = /^\/[^\t\n\f\r #\u00a0\ufeff]*$/;

export interface ProxiedEntryOptions {
  app: Koa<RequestState>;
  find: RouteFinder;
  routed: RoutedRequest;
  /** How the gateway's own error answers get their headers and body: the app's security headers, then its error mapper. */
  refusal: readonly [securityHeaders: Middleware, errorMapper: Middleware];
  logger: Logger;
  accessLog: Logger;
  clock: Clock;
  /** server.trustedProxies, for the client address in a refusal's access line. */
  trustedProxies?: readonly string[];
  /** The runtime's tracing, or null when it is off. */
  tracing?: Tracing | null;
}

/**
 * Koa's response writing for the one kind of answer the entry writes itself, a refusal the error
 * mapper rendered (a string or a JSON object); a proxied response was streamed already (respond false).
 */
function writeAnswer(ctx: Context): void {
  if (ctx.respond === false || !ctx.writable) return;
  const { res } = ctx;
  const body = ctx.body as string | Record<string, unknown> | null | undefined;
  if (ctx.method === 'HEAD' || body === null || body === undefined) {
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (!res.headersSent) ctx.length = Buffer.byteLength(text);
  res.end(text);
}

/**
 * The server's request handler: a request for a proxied route goes straight to the gateway router's
 * pipeline (routedRequest) on a Koa context, without Koa's middleware chain, its finish listeners and
 * its promise per middleware; everything else (the gateway's own endpoints, unmatched and refused
 * paths, CORS preflights, unusual URLs) goes to `koa`, the app's own callback. What the chain's outer
 * middleware does for a proxied request is done here in the same order: the request id and state
 * first, the access line last (the proxy's own, or the request line for a refusal), and a refusal
 * rendered by the same security headers and error mapper. On top of the ~16% of a lean proxy's time
 * that Koa's dispatch costs (issue 13's measurement), this is where proxied requests save most.
 */
export function proxiedEntry(options: ProxiedEntryOptions, koa: NodeHandler): NodeHandler {
  const { app, find, routed, logger, accessLog, clock, trustedProxies = [], tracing = null } = options;
  const [securityHeaders, errorMapper] = options.refusal;

  async function refuse(ctx: Context, err: unknown): Promise<void> {
    // startRequest left the id to the proxy's writeHead; a refusal carries it like every answer.
    if (!ctx.res.headersSent) ctx.res.setHeader('X-Request-Id', ctx.state.requestId);
    await securityHeaders(ctx, () => errorMapper(ctx, () => Promise.reject(err)));
    writeAnswer(ctx);
  }

  async function handle(ctx: Context, found: NonNullable<ReturnType<RouteFinder>>): Promise<void> {
    const started = clock();
    startRequest(ctx, logger, false);
    const span = tracing ? (ctx.state.span = tracing.startRequest(ctx)) : undefined;
    try {
      await (span ? tracing!.within(span, () => routed(ctx, found.route, found.path)) : routed(ctx, found.route, found.path));
    } catch (err) {
      await refuse(ctx, err);
    } finally {
      if (span) tracing!.endRequest(span, ctx);
      if (!ctx.state.accessLogged) logAccess(accessLog, ctx, clock() - started, trustedProxies);
    }
  }

  return function gatewayEntry(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const method = req.method ?? 'GET';
    let found: ReturnType<RouteFinder> = null;
    if (method !== 'OPTIONS' && plainUrl.test(url)) {
      const query = url.indexOf('?');
      try {
        found = find(query < 0 ? url : url.slice(0, query), method);
      } catch {
        // A refused method or path: Koa's chain refuses it again and answers.
      }
    }
    if (!found) {
      koa(req, res);
      return;
    }
    const ctx = app.createContext(req, res) as Context;
    handle(ctx, found).catch((err: unknown) => {
      // Only a failure of the refusal path itself gets here; the request must still end.
      logger.error({ err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'proxied request failed');
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
}
