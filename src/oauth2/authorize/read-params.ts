import type { Context } from 'koa';
import type { GatewayDeps } from '../../deps';
import { readRawBody } from '../../http/body';
import { MalformedEncodingError, parseForm } from '../../http/form';
import { PageError, badRequest } from '../../pages';
import type { AuthorizeParams } from './request';

/** An authorization request is a handful of short parameters; a big body is not one. */
const bodyLimitBytes = 64 * 1024;

const unreadable = () => badRequest('The request from the application could not be read. Go back to the application and try again.');

function pairsOf(text: string): Array<[string, string]> {
  try {
    return parseForm(text);
  } catch (err) {
    if (err instanceof MalformedEncodingError) throw unreadable();
    throw err;
  }
}

/**
 * The parameters of GET (query) or POST (form body, section 3.1: the endpoint must support GET and
 * may support POST). Repeats are kept for the validator to refuse. Anything unreadable gets our own
 * error page: without readable parameters there is no trusted redirect URI to report to.
 */
export async function readAuthorizeParams(ctx: Context, deps: Pick<GatewayDeps, 'config'>): Promise<AuthorizeParams> {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return pairsOf(ctx.querystring);
  let body;
  try {
    body = await readRawBody(ctx, Math.min(bodyLimitBytes, deps.config.server.bodyLimitBytes));
  } catch {
    throw unreadable();
  }
  if (body.mediaType !== 'application/x-www-form-urlencoded') {
    throw new PageError(415, 'Unsupported request', 'The application must send this request as a form. Go back to the application and try again.');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes);
  } catch {
    throw unreadable();
  }
  return pairsOf(text);
}

/** The same parameters as a query string, so a POSTed request continues as a GET (303 after POST). */
export function asQuery(params: AuthorizeParams): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
