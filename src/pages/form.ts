import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { readRawBody } from '../http/body';
import { parseForm, repeatedNames } from '../http/form';
import { badRequest, PageError } from './errors';

/** Our forms are a handful of short fields; anything bigger is not one of them. */
const formLimitBytes = 64 * 1024;

const unreadable = () => badRequest('The form could not be read. Go back and try again.');

/**
 * Reads a form POSTed by one of our pages: urlencoded only, every name at most once (a repeated
 * field is a tampered form, and "first or last wins" is how parameter pollution starts).
 */
export async function readPageForm(ctx: Context, deps: Pick<GatewayDeps, 'config'>): Promise<Map<string, string>> {
  const body = await readRawBody(ctx, Math.min(formLimitBytes, deps.config.server.bodyLimitBytes)).catch(() => {
    // Too large, cut short or a malformed Content-Type: to the person, a form that could not be read.
    throw unreadable();
  });
  if (body.mediaType !== 'application/x-www-form-urlencoded') {
    throw new PageError(415, 'Unsupported form', 'This page accepts only forms sent by a browser. Go back and try again.');
  }
  let pairs: Array<[string, string]>;
  try {
    pairs = parseForm(body.bytes.toString('utf8'));
  } catch {
    throw unreadable();
  }
  if (repeatedNames(pairs).length > 0) throw badRequest('The form holds a field more than once. Go back and try again.');
  return new Map(pairs);
}
