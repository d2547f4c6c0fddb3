import type { Context } from './context';
import { ProtocolError } from './protocol-error';

/** Unmatched paths get a 404 from the gateway itself, never a silent pass-through. */
export async function notFound(ctx: Context): Promise<void> {
  if (ctx.status === 404 && ctx.body === undefined) {
    throw new ProtocolError('not_found', 'No route matches this path.', { status: 404 });
  }
}
