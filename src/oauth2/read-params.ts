import type { Context } from '../http/context';
import { readRawBody } from '../http/body';
import { parseForm } from '../http/form';
import { TokenParams, pairsFromBody } from './params';

export interface ReadParamsOptions {
  bodyLimitBytes: number;
  /** Also take parameters from the query string (the legacy switch for WebEx-style clients). */
  query: boolean;
}

/**
 * Reads the parameters of a token-side request from its body (and its query, when allowed). A body
 * or query the gateway can't read is invalid_request, one over the size limit 413 (http/body.ts,
 * http/form.ts).
 */
export async function readTokenParams(ctx: Context, options: ReadParamsOptions): Promise<TokenParams> {
  const pairs: Array<[string, string]> = [];
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    const raw = await readRawBody(ctx, options.bodyLimitBytes);
    pairs.push(...pairsFromBody(raw.bytes, raw.mediaType, raw.charset));
  }
  if (options.query) pairs.push(...parseForm(ctx.querystring, 'query string'));
  return TokenParams.fromPairs(pairs);
}
