import Router from '@koa/router';
import type { Metrics } from './metrics';

/**
 * GET /metrics in the Prometheus text format. It exposes counts and timings only (routes, outcomes,
 * grants, failure reasons), never identities; operators who don't want it public keep the path off
 * their load balancer.
 */
export function metricsRouter(metrics: Metrics): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    const text = await metrics.registry.metrics();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = text;
  });
  return router;
}
