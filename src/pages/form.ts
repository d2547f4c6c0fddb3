import type { Context, Middleware, Next } from '../http/context';
import type { GatewayDeps } from '../deps';
import { readRawBody } from '../http/body';
import { ProtocolError } from '../http/protocol-error';
import { fromEarlierStep } from '../http/endpoint';
import { parseForm, repeatedNames } from '../http/form';
import { csrfFieldName, verifyBrowserCsrf, verifyCsrf } from './csrf';
import { badRequest, PageError } from './errors';
import { loadSession } from './session';

/** Our forms are a handful of short fields; anything bigger is not one of them. */
const formLimitBytes = 64 * 1024;

const unreadable = () => badRequest('The form could not be read. Go back and try again.');

/**
 * Reads a form POSTed by one of our pages: urlencoded only, every name at most once (a repeated
 * field is a tampered form, and "first or last wins" is how parameter pollution starts).
 */
async function readPageForm(ctx: Context, deps: Pick<GatewayDeps, 'config' | 'bufferedBodies'>): Promise<Map<string, string>> {
  const body = await readRawBody(ctx, Math.min(formLimitBytes, deps.config.server.bodyLimitBytes), deps.bufferedBodies).catch((err: unknown) => {
    // Too many bodies held at once is the gateway's state, not the form's: the 503 stands.
    if (err instanceof ProtocolError && err.status === 503) throw err;
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

/** A form of ours, read and its CSRF token checked. */
export interface PageForm {
  /** Its fields, each name at most once. */
  fields: ReadonlyMap<string, string>;
  /** The browser's gw_csrf value the form was checked against (csrf 'browser'; a flow may bind a ticket to it), else null. */
  browserCsrf: string | null;
}

export interface OpenPageFormOptions {
  /**
   * Which token the form carries (csrf.ts): 'session' for forms shown to a signed-in user (consent,
   * sign-out; the session is loaded), 'browser' for forms anyone may load (login, device code entry).
   */
  csrf: 'session' | 'browser';
}

/**
 * The first step of every form POST of ours: read the form, load the session, check the CSRF token,
 * before anything the form asks for is looked at. The form goes to ctx.state.pageForm (pageFormOf);
 * a refusal is the form-expired page (403).
 */
export function openPageForm(deps: Pick<GatewayDeps, 'config' | 'cache' | 'clock' | 'store' | 'bufferedBodies'>, options: OpenPageFormOptions): Middleware {
  return async function openPageForm(ctx: Context, next: Next): Promise<void> {
    const fields = await readPageForm(ctx, deps);
    let browserCsrf: string | null = null;
    if (options.csrf === 'session') verifyCsrf(ctx, await loadSession(ctx, deps), fields.get(csrfFieldName));
    else browserCsrf = verifyBrowserCsrf(ctx, fields.get(csrfFieldName));
    ctx.state.pageForm = { fields, browserCsrf };
    await next();
  };
}

export function pageFormOf(ctx: Context): PageForm {
  return fromEarlierStep(ctx.state.pageForm, 'openPageForm');
}

/** The gw_csrf value a form anyone may load was checked against (a flow binds its ticket to the browser with it). */
export function checkedBrowserCsrfOf(ctx: Context): string {
  return fromEarlierStep(ctx.state.pageForm?.browserCsrf ?? undefined, "openPageForm({ csrf: 'browser' })");
}
