import type { Context } from 'koa';
import { ProtocolError } from '../http/errors';
import { errorPage } from './templates/message';
import { sendPage } from './respond';

/**
 * An error a person reads in the browser: rendered as the gateway's error page by the error mapper,
 * with the page headers. Title and message are fixed sentences, never request data or internals.
 */
export class PageError extends ProtocolError {
  constructor(
    status: number,
    readonly title: string,
    message: string,
    private readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }

  respond(ctx: Context): void {
    sendPage(ctx, errorPage({ title: this.title, message: this.message }), { status: this.status, headers: this.headers });
  }
}

export const formExpired = () =>
  new PageError(403, 'This form has expired', 'The form was not sent from a current page of this site. Go back, reload the page and try again.');

export const badRequest = (message: string) => new PageError(400, 'Something is wrong with this request', message);
