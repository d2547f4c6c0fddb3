import type { Context } from 'koa';
import { ProtocolError } from '../http/errors';
import { noStore } from '../http/security-headers';

/** The `type` every ClearPass API error carries (the HTTP/1.1 status code definitions). */
export const PROBLEM_TYPE = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html';

/**
 * A ClearPass API error: Problem Details (type, title, status, detail) as the ClearPass guide's
 * appendix B shows them, served as application/json like ClearPass does.
 */
export class ProblemError extends ProtocolError {
  constructor(
    status: number,
    readonly title: string,
    detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail, status);
  }

  respond(ctx: Context): void {
    ctx.status = this.status;
    ctx.set(this.headers);
    noStore(ctx);
    ctx.body = { type: PROBLEM_TYPE, title: this.title, status: this.status, detail: this.message };
  }
}

export const notAcceptable = () => new ProblemError(406, 'Not Acceptable', 'Cannot honor Accept type specified');

export const noApiAccess = () => new ProblemError(403, 'Forbidden', 'Client does not have \u2018Allow API Access\u2019 privilege');
