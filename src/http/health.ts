import Router from '@koa/router';
import type { RequestState } from './context';
import type { GatewayDeps } from '../deps';

/**
 * True when the check answers true within the deadline. A database or Redis that stops answering
 * (frozen, cut off) must make /readyz say so in seconds, not hang with it: a load balancer's probe
 * that times out learns nothing about which part is down.
 */
async function answers(check: () => Promise<boolean>, deadlineMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  try {
    return await Promise.race([check().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz: the process is alive. /readyz: the database and the shared cache answer (within
 * server.readyTimeoutSeconds), and the process is not draining (a load balancer must stop sending the
 * moment SIGTERM arrives, before any ping).
 */
export function healthRouter(deps: Pick<GatewayDeps, 'store' | 'cache' | 'config' | 'drain'>): Router {
  const router = new Router<RequestState>();
  const deadlineMs = deps.config.server.readyTimeoutSeconds * 1000;
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
    const [database, cache] = await Promise.all([answers(() => deps.store.ping(), deadlineMs), answers(() => deps.cache.ping(), deadlineMs)]);
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
