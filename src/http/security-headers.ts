import type { Context, Next } from './context';

/**
 * Headers for the gateway's own responses, error answers included (the app mounts this outside the
 * error mapper). Proxied responses keep what the upstream sent; the proxy module sets
 * ctx.state.proxied so these are not imposed on them.
 */
export function securityHeaders(options: { https: boolean }) {
  return async function securityHeadersMiddleware(ctx: Context, next: Next): Promise<void> {
    await next();
    if (ctx.state.proxied) return;
    // An error answer is about one request and one credential: no cache may keep or replay it.
    if (ctx.status >= 400 && !ctx.response.get('Cache-Control')) setNoStore(ctx);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    if (!ctx.response.get('X-Frame-Options')) ctx.set('X-Frame-Options', 'DENY');
    if (!ctx.response.get('Content-Security-Policy')) {
      ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    }
    if (options.https) ctx.set('Strict-Transport-Security', 'max-age=31536000');
  };
}

/** Responses that carry credentials, and error answers, must not be stored by any cache (RFC 6749 section 5.1). */
export const NO_STORE: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** The same as the noStore middleware step, for handlers that set it while answering. */
export function setNoStore(ctx: Context): void {
  ctx.set(NO_STORE);
}
