import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Context } from '../http/context';
import type { RawBody } from '../http/body';
import { formWithoutOAuthParameters } from './credentials';
import { bodyTooLarge, transferCodingNotImplemented } from './errors';
import type { HeaderMap } from './headers';

/** Passes bytes through until more than `limit` have gone by, then fails the stream. */
export class ByteLimit extends Transform {
  private seen = 0;
  exceeded = false;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      this.exceeded = true;
      done(bodyTooLarge());
      return;
    }
    done(null, chunk);
  }
}

export interface OutgoingBody {
  body: Buffer | Readable | null;
  /** Set when the body is streamed without a declared length: tells a 413 from other stream failures. */
  limit: ByteLimit | null;
}

/**
 * What to send upstream as the body. Bytes a credential check already read (an OAuth 1.0a form body) go with
 * their exact length, without their oauth_* parameters unless the route forwards credentials;
 * anything else is streamed, and a body that is, or turns out to be, larger than the route allows is
 * refused with 413.
 */
export function outgoingBody(ctx: Context, headers: HeaderMap, maxBytes: number, forwardCredentials: boolean): OutgoingBody {
  const coding = ctx.req.headers['transfer-encoding'];
  if (coding !== undefined && coding !== 'chunked' && !/^\s*chunked\s*$/i.test(coding)) throw transferCodingNotImplemented();
  const raw = ctx.state.rawBody as RawBody | undefined;
  if (raw) {
    const bytes = forwardCredentials || raw.mediaType !== 'application/x-www-form-urlencoded' ? raw.bytes : formWithoutOAuthParameters(raw.bytes);
    headers['content-length'] = String(bytes.length);
    return { body: bytes.length > 0 ? bytes : null, limit: null };
  }
  const declared = ctx.req.headers['content-length'];
  const chunked = coding !== undefined;
  if (declared !== undefined && !chunked) {
    const length = Number(declared);
    if (length > maxBytes) throw bodyTooLarge();
    // node's parser already holds the client to the declared length.
    return { body: length > 0 ? ctx.req : null, limit: null };
  }
  if (!chunked) return { body: null, limit: null };
  const limit = new ByteLimit(maxBytes);
  ctx.req.once('error', (err) => limit.destroy(err));
  return { body: ctx.req.pipe(limit), limit };
}

/** What a stalled body stops: the upstream exchange it is streamed to. */
export interface Stoppable {
  stop(err: Error): void;
}

/** The error a stopped exchange ends with; the proxy answers it with 408 (bodyIdleTimeout). */
export class BodyIdle extends Error {
  constructor() {
    super('request body idle');
    this.name = 'BodyIdle';
  }
}

/**
 * Stops an exchange whose client sends no body byte for `idleMs` (upstreamLimits.bodyIdleTimeoutSeconds):
 * such a client holds one of the upstream's connections for nothing, and a few hundred of them shut
 * everyone else out (node's requestTimeout only ends each attempt after minutes). Made only for a body
 * still to arrive from the client, so requests without one pay nothing.
 *
 * Progress is read from the client's request stream, not by a listener on it (a 'data' listener
 * would compete with undici for the stream's flow): bytes arriving on its socket while the body is
 * incomplete, checked a few times per idle period by one timer (so a stall is seen after between
 * `idleMs` and 1.25 x `idleMs`). A body the gateway is not reading, because the upstream has not
 * taken the last bytes yet (the stream paused, or bytes waiting in it), is the upstream's delay,
 * not the client's: it does not count as idle.
 */
export class BodyIdleWatch {
  /** Set once the watch stopped the exchange. */
  fired = false;
  private readonly socket: Socket;
  private readonly timer: NodeJS.Timeout;
  private read: number;
  private quietSince: number;

  constructor(
    private readonly req: IncomingMessage,
    private readonly idleMs: number,
    private readonly exchange: Stoppable,
  ) {
    this.socket = req.socket;
    this.read = this.socket.bytesRead;
    this.quietSince = performance.now();
    this.timer = setTimeout(this.check, Math.max(1, Math.floor(idleMs / 4)));
    // The client's socket keeps the process alive while the exchange lasts; this timer need not.
    this.timer.unref();
  }

  private readonly check = (): void => {
    const { req } = this;
    // The whole body arrived, or the client went away (the exchange sees that itself).
    if (req.complete || req.destroyed) return;
    const now = performance.now();
    const read = this.socket.bytesRead;
    if (read !== this.read || req.readableFlowing === false || req.readableLength > 0) {
      this.read = read;
      this.quietSince = now;
    } else if (now - this.quietSince >= this.idleMs) {
      this.fired = true;
      this.exchange.stop(new BodyIdle());
      return;
    }
    this.timer.refresh();
  };

  /** The exchange ended: no more checks. */
  end(): void {
    clearTimeout(this.timer);
  }
}
