import getRawBody from 'raw-body';
import contentType from 'content-type';
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

/**
 * Reads the whole request body once, up to `limit` bytes (413 past it), and keeps it on ctx.state
 * so a signature check and a forwarder can share the same bytes.
 */
export async function readRawBody(ctx: Context, limit: number): Promise<RawBody> {
  if (ctx.state.rawBody) return ctx.state.rawBody;
  const { mediaType, charset } = mediaTypeOf(ctx);
  let bytes: Buffer;
  try {
    bytes = await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
  } catch (err) {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') throw new ProtocolError('request_too_large', 'The request body is too large.', { status: 413 });
    throw new ProtocolError('invalid_request', 'The request body could not be read.');
  }
  const body: RawBody = { bytes, mediaType, charset };
  ctx.state.rawBody = body;
  return body;
}
