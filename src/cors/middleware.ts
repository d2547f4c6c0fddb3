import type { Context, Middleware, Next } from '../http/context';
import { originAllowed } from './origin';

export interface CorsOptions {
  /** The configured allowed origins (config cors.allowedOrigins). */
  allowedOrigins: readonly string[];
  /** Methods the endpoint answers, e.g. ['POST']. */
  methods: readonly string[];
  /** Request headers a script may send. */
  allowHeaders?: readonly string[];
  /** Response headers a script may read beyond the CORS-safelisted ones. */
  exposeHeaders?: readonly string[];
  /** How long a browser may reuse a preflight answer, in seconds. */
  maxAgeSeconds?: number;
}

const defaults = {
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['WWW-Authenticate', 'Retry-After'],
  maxAgeSeconds: 600,
};

/**
 * CORS for one endpoint. Mount it on the endpoint's methods and on OPTIONS: it answers preflights
 * itself (204 for an allowed origin, 403 without any CORS header otherwise) and marks actual
 * responses for allowed origins. The origin is echoed, never `*`, so an allow-list entry of `*`
 * still yields a per-origin answer; credentials (cookies) are never invited. Requests without an
 * Origin header (not from a browser) pass untouched.
 */
export function cors(options: CorsOptions): Middleware {
  const allowMethods = [...new Set([...options.methods, 'OPTIONS'])].join(', ');
  const allowHeaders = (options.allowHeaders ?? defaults.allowHeaders).join(', ');
  const exposeHeaders = (options.exposeHeaders ?? defaults.exposeHeaders).join(', ');
  const maxAge = String(options.maxAgeSeconds ?? defaults.maxAgeSeconds);

  return async function corsMiddleware(ctx: Context, next: Next): Promise<void> {
    const origin = ctx.get('origin');
    const preflight = ctx.method === 'OPTIONS';
    if (!origin) {
      if (preflight) {
        ctx.status = 204;
        ctx.set('Allow', allowMethods);
        return;
      }
      await next();
      return;
    }
    ctx.vary('Origin');
    const allowed = originAllowed(origin, options.allowedOrigins);
    if (preflight) {
      if (!allowed) {
        ctx.status = 403;
        return;
      }
      ctx.status = 204;
      ctx.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': allowMethods,
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Max-Age': maxAge,
      });
      return;
    }
    if (allowed) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', exposeHeaders);
    }
    await next();
  };
}
