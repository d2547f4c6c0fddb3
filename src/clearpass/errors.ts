import type { Context, Next } from 'koa';
import { CacheUnavailableError } from '../cache/types';
import { GatewayError } from '../http/errors';
import { BearerError } from '../oauth2/bearer';
import { OAuth2Error } from '../oauth2/errors';
import { ProblemError } from './problem';

/** Re-states an OAuth 2.0, bearer or gateway error as Problem Details; anything else is left alone. */
export function asProblem(err: unknown): unknown {
  if (err instanceof ProblemError) return err;
  if (err instanceof OAuth2Error) {
    // ClearPass answers invalid_client with 400 (its guide, appendix B), without a Basic challenge;
    // a 429 (too many failed client authentications) stays a 429 with its Retry-After.
    if (err.error === 'invalid_client' && err.status === 401) return new ProblemError(400, err.error, err.message);
    return new ProblemError(err.status, err.error, err.message, err.headers);
  }
  if (err instanceof BearerError) {
    // The RFC 6750 challenge stays: clients key on it.
    return new ProblemError(err.status, err.error ?? 'Unauthorized', err.message, { 'WWW-Authenticate': err.challenge() });
  }
  if (err instanceof GatewayError) return new ProblemError(err.status, err.code, err.message);
  if (err instanceof CacheUnavailableError) {
    return new ProblemError(503, 'temporarily_unavailable', 'The gateway cannot reach its shared state; try again shortly.', { 'Retry-After': '5' });
  }
  return err;
}

/** Middleware: every refusal on the ClearPass API leaves as Problem Details. */
export async function problemDetails(_ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    throw asProblem(err);
  }
}
