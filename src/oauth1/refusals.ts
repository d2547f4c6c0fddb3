import type { GatewayDeps } from '../deps';
import { protocolErrorOf } from '../http/conditions';
import type { Context, Middleware, Next } from '../http/context';
import { problemCodeFor } from './problems';

type RefusalDeps = Pick<GatewayDeps, 'metrics'>;

/**
 * Counts and logs a refused OAuth 1.0a request under the problem it is reported with. The code is
 * safe to log (so is the advice: problems.ts forbids secrets in it), the request is not. Outages
 * (5xx) are no verdict on the request and are not counted.
 */
export function noteRefusal(err: unknown, ctx: Context, deps: RefusalDeps): void {
  const refusal = protocolErrorOf(err);
  if (!refusal || refusal.status >= 500) return;
  const problem = problemCodeFor(refusal.code) ?? refusal.code;
  deps.metrics.verificationFailures.inc({ protocol: 'oauth1', reason: problem });
  ctx.state.log?.info({ oauth_problem: problem, status: refusal.status }, 'oauth1 request refused');
}

/**
 * Route middleware, first on the OAuth 1.0a token endpoints and signed resources: their refusals are
 * answered as problem reports (http/render/oauth1-problem-form.ts), and counted.
 */
export function oauth1Refusals(deps: RefusalDeps): Middleware {
  return async function oauth1RefusalsMiddleware(ctx: Context, next: Next): Promise<void> {
    ctx.state.errorFormat = 'oauth1';
    try {
      await next();
    } catch (err) {
      noteRefusal(err, ctx, deps);
      throw err;
    }
  };
}
