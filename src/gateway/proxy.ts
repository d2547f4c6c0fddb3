import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from '../http/context';
import type { Dispatcher } from 'undici';
import type { ProtocolError } from '../http/protocol-error';
import { bodyTooLarge, upstreamError, upstreamFailureKind, type UpstreamFailureKind } from './errors';
import { UpstreamBusy, type ConnectionSlots } from './connection-slots';
import { viaToken } from './forwarded';
import { connectionOptions, hopByHop, type HeaderMap } from './headers';
import { BodyIdleWatch, outgoingBody } from './request-body';
import { UpstreamExchange } from './upstream-exchange';
import type { Upstreams } from './upstreams';

export interface ProxyRequest {
  upstream: string;
  /** Path and query as the upstream receives them. */
  path: string;
  /** Request fields, already cleaned (hop-by-hop, credentials, identity, forwarding). */
  headers: HeaderMap;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBodyBytes: number;
  /** The route's forwardCredentials: whether a form body read for a signature keeps its oauth_* parameters. */
  forwardCredentials: boolean;
  /** No identity (a public route's caller without credentials): held to the upstream's anonymous share of connections. */
  anonymous: boolean;
}

export interface ProxyResult {
  status: number;
  /** From sending the request to the upstream's response headers. */
  upstreamMs: number;
  /** Response body bytes, when known (Content-Length, or counted when `countBytes`). */
  bytes: number | null;
  /** Set when the exchange broke after the response started: the client got a truncated body. */
  failure: UpstreamFailureKind | 'client_closed' | null;
}

/** Thrown before anything was sent to the client; the router maps it to 502/503/504 (408 for a stalled body) and counts it. */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    readonly response: ProtocolError,
  ) {
    super(`upstream ${kind}`);
    this.name = 'UpstreamFailure';
  }
}

// The gateway answers CORS for proxied routes itself; an upstream's own policy must not widen it.
function isCorsField(name: string): boolean {
  return name.startsWith('access-control-');
}

/**
 * The client's response fields in one pass over the upstream's: hop-by-hop fields (and those its
 * Connection names), its request id (the gateway's names the exchange in both sides' logs) and its
 * CORS fields dropped; Via extended; the gateway's Vary merged; the gateway's X-Request-Id added
 * here rather than by setHeader, so node writes this object as it is (writeHead's fast path).
 */
function responseHeaders(ctx: Context, upstream: IncomingHttpHeaders): HeaderMap {
  const named = connectionOptions(upstream.connection);
  const out: HeaderMap = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || hopByHop.has(name) || name === 'x-request-id' || isCorsField(name) || (named.length > 0 && named.includes(name))) continue;
    out[name] = value;
  }
  const ourVary = ctx.res.getHeader('vary');
  if (ourVary !== undefined && out.vary !== undefined) out.vary = `${out.vary}, ${ourVary}`;
  out.via = out.via ? `${out.via}, ${viaToken}` : viaToken;
  out['x-request-id'] = ctx.state.requestId;
  return out;
}

/** A connection to the upstream within its cap once all are busy: waits in its queue; 503 past the queue. */
async function waitForSlot(slots: ConnectionSlots, anonymous: boolean): Promise<void> {
  try {
    await slots.wait(anonymous);
  } catch (err) {
    if (err instanceof UpstreamBusy) throw new UpstreamFailure(err.reason, upstreamError(err.reason));
    throw err;
  }
}

/**
 * Sends the request to the upstream through its keep-alive pool, within the upstream's connection
 * cap (an anonymous caller within its share), and streams the answer straight into the client's
 * response (UpstreamExchange), unchanged apart from hop-by-hop fields. A request body the client
 * stops sending (upstreamLimits.bodyIdleTimeoutSeconds) ends the exchange and gives its connection
 * back. Failures before the upstream answered throw UpstreamFailure (or a 413); failures while
 * streaming can only cut the response short, and are reported in the result.
 */
export async function proxyRequest(ctx: Context, upstreams: Upstreams, request: ProxyRequest, countBytes: boolean): Promise<ProxyResult> {
  const { body, limit } = outgoingBody(ctx, request.headers, request.maxBodyBytes, request.forwardCredentials);
  const { pool, slots, bodyIdleTimeoutMs } = upstreams.upstream(request.upstream, request.connectTimeoutMs);
  const { anonymous } = request;
  if (!slots.tryTake(anonymous)) {
    // All connections the cap allows are busy: wait in the upstream's queue, unless the client leaves.
    let clientGone = false;
    const onClose = () => {
      if (!ctx.res.writableFinished) clientGone = true;
    };
    ctx.res.once('close', onClose);
    try {
      await waitForSlot(slots, anonymous);
    } catch (err) {
      if (clientGone) return { status: 499, upstreamMs: 0, bytes: null, failure: 'client_closed' };
      throw err;
    } finally {
      ctx.res.off('close', onClose);
    }
    if (clientGone) {
      slots.release(anonymous);
      return { status: 499, upstreamMs: 0, bytes: null, failure: 'client_closed' };
    }
  }
  const started = performance.now();
  let exchange: UpstreamExchange;
  // A body still to come from the client is watched while it streams: one that stalls gives the connection back (408).
  let watch: BodyIdleWatch | null = null;
  const err = await new Promise<Error | null>((resolve) => {
    exchange = new UpstreamExchange(ctx.res, (statusCode, headers) => writeClientHead(ctx, statusCode, headers), (_, failure) => resolve(failure));
    if (body !== null && !Buffer.isBuffer(body) && !ctx.req.complete) watch = new BodyIdleWatch(ctx.req, bodyIdleTimeoutMs, exchange);
    pool.dispatch(
      {
        path: request.path,
        method: ctx.method as Dispatcher.HttpMethod,
        headers: request.headers as Record<string, string | string[]>,
        body,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      },
      exchange,
    );
  });
  // Assigned in the promise's executor, which TypeScript does not follow.
  const idle = watch as BodyIdleWatch | null;
  idle?.end();
  slots.release(anonymous);
  const stalled = idle !== null && idle.fired;
  const { status, upstreamMs, declared, clientGone } = exchange!;
  if (err === null) return { status, upstreamMs, bytes: declared ?? (countBytes ? exchange!.bytes : null), failure: null };
  if (status === 0) {
    // Nothing was sent to the client yet: the router answers with a gateway error.
    if (limit?.exceeded) throw bodyTooLarge();
    if (stalled) throw new UpstreamFailure('client_body_timeout', upstreamError('client_body_timeout'));
    if (clientGone) return { status: 499, upstreamMs: performance.now() - started, bytes: null, failure: 'client_closed' };
    const kind = upstreamFailureKind(err);
    throw new UpstreamFailure(kind, upstreamError(kind));
  }
  return { status, upstreamMs, bytes: null, failure: clientGone ? 'client_closed' : stalled ? 'client_body_timeout' : upstreamFailureKind(err) };
}

/** The client's head, from the upstream's: the proxy's response from here on (Koa writes nothing more). */
function writeClientHead(ctx: Context, statusCode: number, headers: IncomingHttpHeaders): void {
  ctx.res.writeHead(statusCode, responseHeaders(ctx, headers) as Record<string, string | string[]>);
  ctx.respond = false;
  ctx.state.proxied = true;
}
