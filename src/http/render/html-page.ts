import { pageHeaders } from '../../pages/respond';
import { errorPage } from '../../pages/templates/message';
import type { ProtocolError } from '../protocol-error';
import type { RenderedError } from './rendered';

/** Headings for refusals that bring none of their own (a cache outage, a body that can't be read). */
function titleFor(status: number): string {
  if (status === 429) return 'Too many attempts';
  if (status === 503) return 'Please try again shortly';
  if (status >= 500) return 'Something went wrong';
  if (status === 413 || status === 414) return 'This request is too large';
  return 'Something is wrong with this request';
}

/**
 * The gateway's error page for a person in a browser, with every page's headers (CSP, no framing,
 * no caching; pages/respond.ts). A page never sends a challenge: the browser would open its own
 * sign-in dialog. The description is a fixed sentence of ours, escaped by the template.
 */
export function renderPage(error: ProtocolError): RenderedError {
  return {
    status: error.status,
    headers: { ...pageHeaders(), ...error.headers },
    type: 'text/html; charset=utf-8',
    body: errorPage({ title: error.title ?? titleFor(error.status), message: error.description }).value,
  };
}
