import type { Context } from './context';
import { ProtocolError } from './protocol-error';

/**
 * Unmatched paths get a 404 from the gateway itself, never a silent pass-through: JSON for API
 * clients, the error page for a person whose browser asks for HTML first (Accept: text/html).
 */
export async function notFound(ctx: Context): Promise<void> {
  if (ctx.status === 404 && ctx.body === undefined) {
    // accepts() picks by the client's q-values; `*/*` alone (curl, most libraries) picks JSON, listed first.
    if (ctx.get('accept') && ctx.accepts('json', 'html') === 'html') ctx.state.errorFormat = 'page';
    throw new ProtocolError('not_found', 'No route matches this path.', { status: 404, title: 'Page not found' });
  }
}
