import { EventEmitter } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from '../http/context';
import type { Dispatcher } from 'undici';
import type { ProtocolError } from '../http/protocol-error';
import { bodyTooLarge, upstreamError, upstreamFailureKind, type UpstreamFailureKind } from './errors';
import { UpstreamBusy, type ConnectionSlots } from './connection-slots';
import { viaToken } from './forwarded';
import { copyHeaders, type HeaderMap } from './headers';
import { outgoingBody } from './request-body';
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

/** Thrown before anything was sent to the client; the router maps it to 502/504 and counts it. */
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

// The gateway's request id names the exchange in both sides' logs, so the upstream's is dropped.
const dropFromResponse = (name: string) => name === 'x-request-id' || isCorsField(name);

function responseHeaders(ctx: Context, upstream: IncomingHttpHeaders): HeaderMap {
  const out = copyHeaders(upstream, dropFromResponse);
  const ourVary = ctx.res.getHeader('vary');
  if (ourVary !== undefined && out.vary !== undefined) out.vary = `${out.vary}, ${ourVary}`;
  out.via = out.via ? `${out.via}, ${viaToken}` : viaToken;
  return out;
}

/** Counts response bytes on their way to the client (extended logging only). */
function counting(res: Writable, tally: { bytes: number }): Writable {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      tally.bytes += chunk.length;
      done(null, chunk);
    },
  });
  counter.pipe(res);
  res.once('close', () => counter.destroy());
  return counter;
}

/** A connection to the upstream within its cap, waiting in its queue when all are busy; 503 past the queue. */
async function takeSlot(slots: ConnectionSlots): Promise<void> {
  if (slots.tryTake()) return;
  try {
    await slots.wait();
  } catch (err) {
    if (err instanceof UpstreamBusy) throw new UpstreamFailure(err.reason, upstreamError(err.reason));
    throw err;
  }
}

/**
 * Sends the request to the upstream through its keep-alive pool, within the upstream's connection
 * cap, and streams the answer straight into the client's response, unchanged apart from hop-by-hop
 * fields. Failures before the upstream answered throw UpstreamFailure (or a 413); failures while
 * streaming can only cut the response short, and are reported in the result.
 */
export async function proxyRequest(ctx: Context, upstreams: Upstreams, request: ProxyRequest, countBytes: boolean): Promise<ProxyResult> {
  const { body, limit } = outgoingBody(ctx, request.headers, request.maxBodyBytes, request.forwardCredentials);

  // A client that goes away stops the upstream exchange. An EventEmitter is undici's cheapest signal.
  // An upstream that breaks mid-body closes the response too, but undici destroys it with the
  // upstream's error first (res.errored): that close is the upstream's failure, not the client leaving.
  const abort = new EventEmitter();
  let clientGone = false;
  const onClose = () => {
    if (ctx.res.writableFinished || ctx.res.errored) return;
    clientGone = true;
    abort.emit('abort');
  };
  ctx.res.once('close', onClose);

  const started = performance.now();
  let upstreamMs = 0;
  let status = 0;
  let declared: number | null = null;
  const tally = { bytes: 0 };
  const { pool, slots } = upstreams.upstream(request.upstream, request.connectTimeoutMs);
  try {
    await takeSlot(slots);
  } catch (err) {
    ctx.res.off('close', onClose);
    if (clientGone) return { status: 499, upstreamMs: 0, bytes: null, failure: 'client_closed' };
    throw err;
  }
  try {
    // It left while waiting for a connection: nothing to send.
    if (clientGone) return { status: 499, upstreamMs: 0, bytes: null, failure: 'client_closed' };
    await pool.stream(
      {
        path: request.path,
        method: ctx.method as Dispatcher.HttpMethod,
        headers: request.headers as Record<string, string | string[]>,
        body,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
        signal: abort,
      },
      ({ statusCode, headers }) => {
        upstreamMs = performance.now() - started;
        status = statusCode;
        const length = Number(headers['content-length']);
        declared = Number.isFinite(length) ? length : null;
        ctx.respond = false;
        ctx.state.proxied = true;
        ctx.res.writeHead(statusCode, responseHeaders(ctx, headers) as Record<string, string | string[]>);
        return countBytes && declared === null ? counting(ctx.res, tally) : ctx.res;
      },
    );
  } catch (err) {
    if (status === 0) {
      // Nothing was sent to the client yet: the router answers with a gateway error.
      if (limit?.exceeded) throw bodyTooLarge();
      if (clientGone) return { status: 499, upstreamMs: performance.now() - started, bytes: null, failure: 'client_closed' };
      const kind = upstreamFailureKind(err);
      throw new UpstreamFailure(kind, upstreamError(kind));
    }
    // undici destroys the client's response with the upstream's error: that is the cause to report.
    return { status, upstreamMs, bytes: null, failure: clientGone ? 'client_closed' : upstreamFailureKind(ctx.res.errored ?? err) };
  } finally {
    slots.release();
    ctx.res.off('close', onClose);
  }
  return { status, upstreamMs, bytes: declared ?? (countBytes ? tally.bytes : null), failure: null };
}
