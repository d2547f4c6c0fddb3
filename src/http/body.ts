import getRawBody from 'raw-body';
import contentType from 'content-type';
import type { BufferedBodies } from './buffered-bodies';
import type { Context } from './context';
import { ProtocolError } from './protocol-error';

export interface RawBody {
  bytes: Buffer;
  /** Lower-case media type without parameters, or '' when absent. */
  mediaType: string;
  charset: string | null;
}

function mediaTypeOf(ctx: Context): { mediaType: string; charset: string | null } {
  const header = ctx.get('content-type');
  if (!header) return { mediaType: '', charset: null };
  try {
    const parsed = contentType.parse(header);
    return { mediaType: parsed.type.toLowerCase(), charset: parsed.parameters.charset?.toLowerCase() ?? null };
  } catch {
    // Every reader of a body refuses it alike: the request is malformed, whatever the body holds.
    throw new ProtocolError('invalid_request', 'The Content-Type header is malformed.');
  }
}

/** Past server.bufferedBodiesMaxBytes: the body is not read; the connection closes after the answer (the rest is never read). */
function bodiesBusy(): ProtocolError {
  return new ProtocolError('temporarily_unavailable', 'The gateway is holding too many request bodies; try again shortly.', {
    status: 503,
    headers: { 'Retry-After': '1', Connection: 'close' },
  });
}

/**
 * Reads the whole request body once, up to `limit` bytes (413 past it), and keeps it on ctx.state
 * so a signature check and a forwarder can share the same bytes. Its bytes count in `bodies` as they
 * arrive and until the response ends; a body that would pass that cap is refused with 503.
 */
export async function readRawBody(ctx: Context, limit: number, bodies: BufferedBodies): Promise<RawBody> {
  if (ctx.state.rawBody) return ctx.state.rawBody;
  const { mediaType, charset } = mediaTypeOf(ctx);
  const declared = ctx.get('content-length');
  // A declared length past the limit is refused before anything is read or counted.
  if (declared && Number(declared) > limit) throw new ProtocolError('request_too_large', 'The request body is too large.', { status: 413 });
  let held = 0;
  let refused = false;
  ctx.res.once('close', () => bodies.give(held));
  let bytes: Buffer;
  try {
    bytes = await new Promise<Buffer>((resolve, reject) => {
      getRawBody(ctx.req, { limit, length: declared || undefined }).then(resolve, reject);
      // After raw-body's own listener, so it sees every chunk this one sees.
      const count = (chunk: Buffer) => {
        if (bodies.take(chunk.length)) {
          held += chunk.length;
          return;
        }
        refused = true;
        ctx.req.off('data', count);
        // Nothing more is read into memory: the 503 closes the connection (Connection: close).
        ctx.req.pause();
        reject(bodiesBusy());
      };
      ctx.req.on('data', count);
      ctx.req.once('end', () => ctx.req.off('data', count));
    });
  } catch (err) {
    if (refused) throw err;
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') throw new ProtocolError('request_too_large', 'The request body is too large.', { status: 413 });
    throw new ProtocolError('invalid_request', 'The request body could not be read.');
  }
  const body: RawBody = { bytes, mediaType, charset };
  ctx.state.rawBody = body;
  return body;
}
