import Router from '@koa/router';
import type { RequestState } from './context';
import type { GatewayDeps } from '../deps';

async function answers(check: () => Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}

/**
 * /healthz: the process is alive. /readyz: the database and the shared cache answer, and the process
 * is not draining (a load balancer must stop sending the moment SIGTERM arrives, before any ping).
 */
export function healthRouter(deps: Pick<GatewayDeps, 'store' | 'cache' | 'drain'>): Router {
  const router = new Router<RequestState>();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    if (deps.drain.draining) {
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 503;
      ctx.body = { status: 'draining' };
      return;
    }
    const [database, cache] = await Promise.all([answers(() => deps.store.ping()), answers(() => deps.cache.ping())]);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = database && cache ? 200 : 503;
    ctx.body = {
      status: database && cache ? 'ready' : 'unavailable',
      database: { kind: deps.store.kind, ok: database },
      cache: { kind: deps.cache.kind, ok: cache },
    };
  });
  return router;
}
