import type { Context, Middleware, Next } from '../../http/context';
import { readRawBody } from '../../http/body';
import type { BufferedBodies } from '../../http/buffered-bodies';
import { fromEarlierStep } from '../../http/endpoint';
import { parseForm } from '../../http/form';
import { TokenParams, pairsFromBody } from '../params';

export interface ReadParamsOptions {
  bodyLimitBytes: number;
  /** The cap on body bytes held across requests (deps.bufferedBodies). */
  bodies: BufferedBodies;
  /** Also take parameters from the query string (the legacy switch for WebEx-style clients). */
  query: boolean;
}

/**
 * Step of the token-side endpoints (token, introspection, revocation, device authorization, the
 * ClearPass token): the request's parameters from its body (and its query, when allowed), into
 * ctx.state.tokenParams. A body or query the gateway can't read is invalid_request, one over the
 * size limit 413 (http/body.ts, http/form.ts); a repeated parameter is invalid_request (params.ts).
 */
export function readTokenParams(options: ReadParamsOptions): Middleware {
  return async function readTokenParams(ctx: Context, next: Next): Promise<void> {
    const pairs: Array<[string, string]> = [];
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      const raw = await readRawBody(ctx, options.bodyLimitBytes, options.bodies);
      pairs.push(...pairsFromBody(raw.bytes, raw.mediaType, raw.charset));
    }
    if (options.query) pairs.push(...parseForm(ctx.querystring, 'query string'));
    ctx.state.tokenParams = TokenParams.fromPairs(pairs);
    await next();
  };
}

export function tokenParamsOf(ctx: Context): TokenParams {
  return fromEarlierStep(ctx.state.tokenParams, 'readTokenParams');
}
