import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { errors, util, type Dispatcher } from 'undici';

/** What the client's response is given once the upstream's head arrived; throwing refuses the head. */
export type WriteHead = (statusCode: number, headers: IncomingHttpHeaders) => void;

/** How an exchange ended: `err` null when the upstream's whole body reached the client. */
export type ExchangeEnd = (exchange: UpstreamExchange, err: Error | null) => void;

/**
 * One request to an upstream as undici's dispatch handler, writing the answer straight into the
 * client's response. It does what Pool.stream did for the proxy, without what the proxy never used:
 * Pool.stream wraps every request in an AsyncResource, a promise and a stream.finished() (five
 * listeners on the response), and needs an EventEmitter as its abort signal; here one object holds
 * the whole exchange, and undici's own abort function stops it when the client leaves.
 */
export class UpstreamExchange implements Dispatcher.DispatchHandler {
  /** The upstream's status, once its head arrived and the client's head was written; 0 before. */
  status = 0;
  /** From dispatch to the upstream's head, in ms. */
  upstreamMs = 0;
  /** The upstream's Content-Length, when it declared one. */
  declared: number | null = null;
  /** Response body bytes written to the client so far. */
  bytes = 0;
  /** Set when the client went away before the exchange ended. */
  clientGone = false;
  private abort: ((err?: Error) => void) | null = null;
  /** Set when the gateway stopped the exchange (stop()): undici's error for it then carries this. */
  private stopped: Error | null = null;
  private done = false;
  private readonly started = performance.now();

  constructor(
    private readonly res: ServerResponse,
    private readonly writeHead: WriteHead,
    private readonly end: ExchangeEnd,
  ) {
    res.once('close', this.onClientClose);
  }

  // An upstream that breaks mid-body closes the response too, but after destroying it with the
  // upstream's error (res.errored): that close is the upstream's failure, not the client leaving.
  private readonly onClientClose = (): void => {
    if (this.done || this.res.writableFinished || this.res.errored) return;
    this.clientGone = true;
    this.abort?.(new errors.RequestAbortedError());
  };

  private finish(err: Error | null): void {
    if (this.done) return;
    this.done = true;
    this.res.off('close', this.onClientClose);
    this.end(this, err);
  }

  /**
   * Ends the exchange from the gateway's side (the client's body stalled): undici aborts it, which
   * ends it through onError with `err`. Before the request has a connection, it is aborted on getting one.
   */
  stop(err: Error): void {
    if (this.done || this.stopped) return;
    this.stopped = err;
    this.abort?.(err);
  }

  onConnect(abort: (err?: Error) => void): void {
    // It left (or was stopped) while the request waited for a connection: nothing is sent.
    if (this.clientGone) abort(new errors.RequestAbortedError());
    else if (this.stopped) abort(this.stopped);
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null, resume: () => void): boolean {
    // 1xx answers (103 Early Hints) are not passed on: node's response has no way to send them here.
    if (statusCode < 200) return true;
    this.upstreamMs = performance.now() - this.started;
    const headers = util.parseHeaders(rawHeaders ?? []) as IncomingHttpHeaders;
    const length = Number(headers['content-length']);
    this.declared = Number.isFinite(length) ? length : null;
    // A head node refuses to write throws here: undici then aborts and onError sees status 0 (a 502).
    this.writeHead(statusCode, headers);
    this.status = statusCode;
    this.res.on('drain', resume);
    return !this.res.writableNeedDrain;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    return this.res.write(chunk);
  }

  onComplete(): void {
    this.res.end();
    this.finish(null);
  }

  onError(err: Error): void {
    // After the head, the client's response can only be cut short: destroyed with the cause.
    if (this.status !== 0 && !this.res.destroyed) this.res.destroy(err);
    this.finish(err);
  }
}
