import Router from '@koa/router';
import type { Context, RequestState } from './context';
import { safeEqual } from '../crypto/tokens';
import { MalformedBearerError, extractBearer } from '../oauth2/bearer-credential';
import { ProtocolError } from './protocol-error';
import type { Metrics } from './metrics';
import { routeName } from './middleware/route-name';

/**
 * GET /metrics in the Prometheus text format. It exposes counts and timings only (routes, outcomes,
 * grants, failure reasons), never identities. With a scrape token configured (metrics.token) only a
 * scraper presenting it as a bearer credential gets them (Prometheus: `authorization: { credentials }`);
 * without one the path is open, and operators keep it off their load balancer.
 */
export function metricsRouter(metrics: Metrics, token: string | null): Router {
  const router = new Router<RequestState>();
  router.get('/metrics', routeName('metrics'), async (ctx) => {
    if (token !== null && !presents(ctx, token)) {
      // The challenge names the realm only, whether a token came or not: a scraper has no use for more.
      throw new ProtocolError('invalid_token', 'The metrics need the scrape token as a bearer credential.', {
        status: 401,
        challenges: [{ scheme: 'Bearer', realm: 'metrics' }],
      });
    }
    const text = await metrics.registry.metrics();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = text;
  });
  return router;
}

/** Whether the request's Authorization header is `Bearer <token>` (RFC 6750 parsing, constant-time comparison). */
function presents(ctx: Context, token: string): boolean {
  try {
    const sent = extractBearer({ authorization: ctx.get('authorization') || undefined, queryTokens: [], queryAllowed: false });
    return sent !== null && safeEqual(sent, token);
  } catch (err) {
    if (err instanceof MalformedBearerError) return false;
    throw err;
  }
}
