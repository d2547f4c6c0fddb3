import type { Context, Next } from '../context';
import { NO_STORE } from '../security-headers';

/**
 * A step of endpoints whose answers carry credentials or facts about them (tokens, introspection,
 * privileges): no cache may keep the answer (RFC 6749 section 5.1). Refusals get the same from
 * their renderer.
 */
export async function noStore(ctx: Context, next: Next): Promise<void> {
  ctx.set(NO_STORE);
  await next();
}
