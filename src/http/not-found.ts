import type { Context } from 'koa';
import { GatewayError } from './errors';

/** Unmatched paths get a 404 from the gateway itself, never a silent pass-through. */
export async function notFound(ctx: Context): Promise<void> {
  if (ctx.status === 404 && ctx.body === undefined) {
    throw new GatewayError(404, 'not_found', 'No route matches this path.');
  }
}
