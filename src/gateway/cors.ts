import type { Context } from '../http/context';
import { ProtocolError } from '../http/protocol-error';
import { originAllowed } from '../cors';

const allowMethods = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const maxAgeSeconds = '600';

/** A browser's CORS preflight: OPTIONS with Origin and Access-Control-Request-Method (Fetch standard). */
export function isPreflight(ctx: Context): boolean {
  return ctx.method === 'OPTIONS' && ctx.get('origin') !== '' && ctx.get('access-control-request-method') !== '';
}

/**
 * Answers a preflight for a proxied route without asking for or checking a credential (browsers
 * never send one on a preflight): 204 with the grant for an allowed origin, a 403 refusal with no
 * CORS field otherwise. The requested headers are echoed because the API behind may use its own.
 */
export function answerPreflight(ctx: Context, allowedOrigins: readonly string[]): void {
  const origin = ctx.get('origin');
  ctx.vary('Origin');
  if (!originAllowed(origin, allowedOrigins)) throw new ProtocolError('origin_not_allowed', 'This origin may not call the API.', { status: 403 });
  const requested = ctx.get('access-control-request-headers');
  ctx.set({
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': allowMethods,
    'Access-Control-Allow-Headers': requested || 'Authorization, Content-Type',
    'Access-Control-Max-Age': maxAgeSeconds,
  });
  ctx.status = 204;
}

/**
 * Marks an actual cross-origin request's response (proxied or refused) for an allowed origin. The
 * origin is echoed, never `*`, and credentials (cookies) are never invited. Expose-Headers `*` is
 * valid without credentials and lets a script read the API's own response fields.
 */
export function allowActualRequest(ctx: Context, allowedOrigins: readonly string[]): void {
  const origin = ctx.get('origin');
  if (!origin) return;
  ctx.vary('Origin');
  if (!originAllowed(origin, allowedOrigins)) return;
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Expose-Headers', '*, WWW-Authenticate');
}
