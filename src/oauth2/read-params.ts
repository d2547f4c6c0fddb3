import type { Context } from 'koa';
import { readRawBody } from '../http/body';
import { GatewayError } from '../http/errors';
import { MalformedEncodingError, parseForm } from '../http/form';
import { OAuth2Error } from './errors';
import { TokenParams, pairsFromBody } from './params';

export interface ReadParamsOptions {
  bodyLimitBytes: number;
  /** Also take parameters from the query string (the legacy switch for WebEx-style clients). */
  query: boolean;
}

function queryPairs(ctx: Context): Array<[string, string]> {
  try {
    return parseForm(ctx.querystring);
  } catch (err) {
    if (err instanceof MalformedEncodingError) throw new OAuth2Error('invalid_request', 'The query string has a malformed percent-encoding.');
    throw err;
  }
}

/**
 * Reads the parameters of a token-side request from its body (and its query, when allowed). A body
 * the gateway can't read is invalid_request, except one over the size limit (413).
 */
export async function readTokenParams(ctx: Context, options: ReadParamsOptions): Promise<TokenParams> {
  const pairs: Array<[string, string]> = [];
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    let raw;
    try {
      raw = await readRawBody(ctx, options.bodyLimitBytes);
    } catch (err) {
      if (err instanceof GatewayError && err.status !== 413) throw new OAuth2Error('invalid_request', err.message);
      throw err;
    }
    pairs.push(...pairsFromBody(raw.bytes, raw.mediaType, raw.charset));
  }
  if (options.query) pairs.push(...queryPairs(ctx));
  return TokenParams.fromPairs(pairs);
}
