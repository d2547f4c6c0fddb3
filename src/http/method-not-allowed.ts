import type Router from '@koa/router';
import type { Context, Middleware, Next, RequestState } from './context';
import { ProtocolError } from './protocol-error';

/**
 * 405 with the Allow header (RFC 9110 section 15.5.6), in the gateway's shared vocabulary
 * (method_not_allowed): each format words it (RFC 6749 JSON says invalid_request).
 */
export function methodNotAllowed(allow: readonly string[]): ProtocolError {
  return new ProtocolError('method_not_allowed', `This endpoint takes ${allow.join(' or ')} requests.`, {
    status: 405,
    title: 'Method Not Allowed',
    headers: { Allow: allow.join(', ') },
  });
}

/** The last step of an endpoint for the methods it does not take (mountEndpoint). */
export function refuseOtherMethods(allow: readonly string[]): Middleware {
  return async function refuseOtherMethods(): Promise<void> {
    throw methodNotAllowed(allow);
  };
}

/**
 * After the gateway's own routers: a path one of them serves, asked with a method none of its layers
 * takes, is 405 naming the methods they do take, not the 404 of an unknown path. Endpoints mounted
 * with mountEndpoint answer that themselves, in their own format; this catches the others (OAuth
 * 1.0a's token endpoints, health, metrics) in the gateway's JSON, as no route declared a format.
 */
export function ownMethodsOnly(router: Router<RequestState>): Middleware {
  return async function ownMethodsOnly(ctx: Context, next: Next): Promise<void> {
    const matched = router.match(ctx.path, ctx.method);
    if (matched.path.length === 0 || matched.route) return next();
    throw methodNotAllowed([...new Set(matched.path.flatMap((layer) => layer.methods))]);
  };
}
