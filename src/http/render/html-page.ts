import { pageHeaders } from '../../pages/respond';
import { errorPage } from '../../pages/templates/message';
import type { ProtocolError } from '../protocol-error';
import type { RenderedError } from './rendered';
import type { RenderedFor } from './index';

/** Headings for refusals that bring none of their own (a cache outage, a body that can't be read). */
function titleFor(status: number): string {
  if (status === 429) return 'Too many attempts';
  if (status === 503) return 'Please try again shortly';
  if (status >= 500) return 'Something went wrong';
  if (status === 413 || status === 414) return 'This request is too large';
  if (status === 404) return 'Page not found';
  return 'Something is wrong with this request';
}

/**
 * The gateway's error page for a person in a browser, with every page's headers (CSP, no framing,
 * no caching; pages/respond.ts). A page never sends a challenge: the browser would open its own
 * sign-in dialog. The description is a fixed sentence of ours, escaped by the template, and said
 * in the browser's language when the pages know the sentence.
 */
export function renderPage(error: ProtocolError, request: RenderedFor = {}): RenderedError {
  const page = errorPage({ title: error.title ?? titleFor(error.status), message: error.description, requestId: request.requestId, backHref: request.chrome?.branding.homeUrl });
  return {
    status: error.status,
    // The page's script makes its way back return to the previous page (pages/script.ts).
    // The page speaks the browser's language (pages/words): caches must keep one copy per Accept-Language.
    headers: { ...pageHeaders({ scripts: page.hasScripts }), ...error.headers, Vary: 'Accept-Language' },
    type: 'text/html; charset=utf-8',
    body: (request.chrome ? page.framed(request.chrome) : page).value,
  };
}
