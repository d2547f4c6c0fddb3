import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Context } from '../http/context';
import type { RawBody } from '../http/body';
import { formWithoutOAuthParameters } from './credentials';
import { bodyTooLarge } from './errors';
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
  const raw = ctx.state.rawBody as RawBody | undefined;
  if (raw) {
    const bytes = forwardCredentials || raw.mediaType !== 'application/x-www-form-urlencoded' ? raw.bytes : formWithoutOAuthParameters(raw.bytes);
    headers['content-length'] = String(bytes.length);
    return { body: bytes.length > 0 ? bytes : null, limit: null };
  }
  const declared = ctx.req.headers['content-length'];
  const chunked = ctx.req.headers['transfer-encoding'] !== undefined;
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
