import type { Context, Next } from '../http/context';
import { notAcceptable } from './problem';

/**
 * Whether an Accept header admits an application/json answer (RFC 9110 section 12.5.1). No header
 * means anything goes; a range with q=0 is a refusal.
 */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'application/json' && type !== 'application/*' && type !== '*/*') return false;
    const q = params.find((p) => /^q\s*=/.test(p));
    return q === undefined || Number(q.split('=')[1]) > 0;
  });
}

/** Step of every ClearPass endpoint: it answers only JSON, so a request that accepts nothing like it gets 406 before any work. */
export async function negotiateJson(ctx: Context, next: Next): Promise<void> {
  if (!acceptsJson(ctx.get('accept') || undefined)) throw notAcceptable();
  await next();
}
