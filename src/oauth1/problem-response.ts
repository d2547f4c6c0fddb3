import type { Context, Next } from 'koa';
import type { GatewayDeps } from '../deps';
import { ProtocolError } from '../http/errors';
import { noStore } from '../http/security-headers';
import { OAuth1Problem, type ProblemCode, type ProblemOptions } from './problems';

/**
 * Koa glue for the pure problem reports: the central error mapper renders ProtocolErrors only, and
 * OAuth1Problem is deliberately not one (the core knows nothing about Koa), so the endpoints and the
 * verifier hand it over wrapped in OAuth1ProblemResponse.
 */

/** A problem that also needs response headers (Retry-After, Allow). */
export class HeaderedProblem extends OAuth1Problem {
  readonly headers: Readonly<Record<string, string>>;
  constructor(problem: ProblemCode, options: ProblemOptions & { headers: Record<string, string> }) {
    super(problem, options);
    this.headers = { ...options.headers };
  }
}

/** An RFC 9110 quoted-string, for the challenge's realm. */
function quoted(value: string): string {
  return '"' + value.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

export class OAuth1ProblemResponse extends ProtocolError {
  constructor(
    readonly problem: OAuth1Problem,
    private readonly realm: string,
  ) {
    super(problem.message, problem.status);
  }

  respond(ctx: Context): void {
    ctx.status = this.status;
    if (this.problem instanceof HeaderedProblem) ctx.set(this.problem.headers);
    // RFC 5849 section 3.2 / RFC 9110 section 11.6.1: a 401 names the scheme the client must use.
    if (this.status === 401) ctx.set('WWW-Authenticate', `OAuth realm=${quoted(this.realm)}`);
    noStore(ctx);
    ctx.type = 'application/x-www-form-urlencoded';
    ctx.body = this.problem.toForm();
  }
}

type ProblemDeps = Pick<GatewayDeps, 'config' | 'metrics'>;

/** Counts the refusal and wraps it; anything that is not an OAuth1Problem passes through untouched. */
export function toProtocolError(err: unknown, ctx: Context, deps: ProblemDeps): unknown {
  if (!(err instanceof OAuth1Problem)) return err;
  deps.metrics.verificationFailures.inc({ protocol: 'oauth1', reason: err.problem });
  // The code is safe to log; the advice too (problems.ts forbids secrets in it), the request is not.
  ctx.state.log?.info({ oauth_problem: err.problem, status: err.status }, 'oauth1 request refused');
  return new OAuth1ProblemResponse(err, deps.config.oauth1.realm);
}

/** Route middleware for the OAuth 1.0a endpoints: problem reports come out form-encoded. */
export function oauth1Problems(deps: ProblemDeps) {
  return async function oauth1ProblemsMiddleware(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      throw toProtocolError(err, ctx, deps);
    }
  };
}
