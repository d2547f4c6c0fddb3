import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { readRawBody } from '../../http/body';
import { parseForm } from '../../http/form';
import { ProtocolError } from '../../http/protocol-error';
import { MAX_PARAMETERS, MAX_REQUEST_BYTES } from '../../http/parameter-limits';
import { PageError, badRequest } from '../../pages';
import type { AuthorizeParams } from './request';

const unreadable = () => badRequest('The request from the application could not be read. Go back to the application and try again.');
const tooLarge = (status: 413 | 414) =>
  new PageError(status, 'This request is too large', 'The application sent more than an authorization request holds. Go back to the application and try again.');

function pairsOf(text: string): Array<[string, string]> {
  let pairs: Array<[string, string]>;
  try {
    pairs = parseForm(text);
  } catch {
    throw unreadable();
  }
  if (pairs.length > MAX_PARAMETERS) throw badRequest(`The request from the application holds more than ${MAX_PARAMETERS} parameters. Go back to the application and try again.`);
  return pairs;
}

/**
 * The parameters of GET (query) or POST (form body, section 3.1: the endpoint must support GET and
 * may support POST). Repeats are kept for the validator to refuse. Anything unreadable or too big
 * gets our own error page: without readable parameters there is no trusted redirect URI to report to.
 */
export async function readAuthorizeParams(ctx: Context, deps: Pick<GatewayDeps, 'config' | 'bufferedBodies'>): Promise<AuthorizeParams> {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') {
    if (ctx.querystring.length > MAX_REQUEST_BYTES) throw tooLarge(414);
    return pairsOf(ctx.querystring);
  }
  let body;
  try {
    body = await readRawBody(ctx, Math.min(MAX_REQUEST_BYTES, deps.config.server.bodyLimitBytes), deps.bufferedBodies);
  } catch (err) {
    // Too many bodies held at once is the gateway's state, not the request's: the 503 stands.
    if (err instanceof ProtocolError && err.status === 503) throw err;
    throw err instanceof ProtocolError && err.code === 'request_too_large' ? tooLarge(413) : unreadable();
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
