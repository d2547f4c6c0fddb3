import { ProtocolError } from '../http/protocol-error';

// A refusal's code on a page only matters if it ever surfaces elsewhere (logs, another format).
function codeFor(status: number): string {
  if (status === 403) return 'access_denied';
  if (status === 413 || status === 414) return 'request_too_large';
  if (status === 429) return 'too_many_attempts';
  return status >= 500 ? 'server_error' : 'invalid_request';
}

/**
 * An error a person reads in the browser, as data: the page renderer (http/render/html-page.ts)
 * shows it as the gateway's error page with the page headers. Title and message are fixed
 * sentences, never request data or internals.
 */
export class PageError extends ProtocolError {
  constructor(status: number, title: string, message: string, headers: Record<string, string> = {}) {
    super(codeFor(status), message, { status, title, headers });
  }
}

export const formExpired = () =>
  new PageError(403, 'This form has expired', 'The form was not sent from a current page of this site. Go back, reload the page and try again.');

export const badRequest = (message: string) => new PageError(400, 'Something is wrong with this request', message);
