import type { Context, Middleware, Next } from './context';

/**
 * The formats the gateway answers refusals in, one renderer each (render/):
 * - oauth1: an OAuth Problem Reporting form (the OAuth 1.0a token endpoints and signed resources);
 * - oauth2: RFC 6749 section 5.2 JSON (token, introspection, revocation, device authorization);
 * - problem-details: the ClearPass API's Problem Details;
 * - problem-json: RFC 9457 Problem Details as application/problem+json (the admin API);
 * - page: the gateway's HTML error page (login, consent, device pages);
 * - gateway: the gateway's own JSON (protected routes, bearer resources, and every route that
 *   declares nothing: health, metrics, the 404).
 */
export type ErrorFormat = 'oauth1' | 'oauth2' | 'problem-details' | 'problem-json' | 'page' | 'gateway';

/**
 * Route middleware, first on every route of a router: this route's refusals, whatever raised them
 * (its own checks, a cache outage, a full hashing queue), are answered in `format`.
 */
export function answersIn(format: ErrorFormat): Middleware {
  return async function declareErrorFormat(ctx: Context, next: Next): Promise<void> {
    ctx.state.errorFormat = format;
    await next();
  };
}

/**
 * Runs one step whose refusals are answered in `format`, whatever the route declared: the OAuth
 * 1.0a credential check on a proxied route, whose client understands problem reports. Once the step
 * succeeds the route's own format is back (a later upstream failure is the gateway's to report).
 */
export async function answeringIn<T>(ctx: Context, format: ErrorFormat, step: () => Promise<T>): Promise<T> {
  const declared = ctx.state.errorFormat;
  ctx.state.errorFormat = format;
  const result = await step();
  ctx.state.errorFormat = declared;
  return result;
}
