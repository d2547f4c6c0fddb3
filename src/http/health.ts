import Router from '@koa/router';
import type { RequestState } from './context';
import type { GatewayDeps } from '../deps';
import { readinessTargets, upstreamAnswers } from './upstream-readiness';
import { routeName } from './middleware/route-name';

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
 * /healthz: the process is alive. /readyz: the database, the shared cache and the upstreams of the
 * routes with `readiness: true` answer (each within server.readyTimeoutSeconds), and the process is
 * not draining (a load balancer must stop sending the moment SIGTERM arrives, before any ping). The
 * body names each part and lists the ones down (`down`: "database", "cache", "upstream:<route>").
 */
export function healthRouter(deps: Pick<GatewayDeps, 'store' | 'cache' | 'drain' | 'config'>): Router {
  const router = new Router<RequestState>();
  const deadlineMs = deps.config.server.readyTimeoutSeconds * 1000;
  const targets = readinessTargets(deps.config.routes);
  router.get('/healthz', routeName('health.live'), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', routeName('health.ready'), async (ctx) => {
    if (deps.drain.draining) {
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 503;
      ctx.body = { status: 'draining' };
      return;
    }
    const [database, cache, ...upstreams] = await Promise.all([
      answers(() => deps.store.ping(), deadlineMs),
      answers(() => deps.cache.ping(), deadlineMs),
      ...targets.map((t) => answers(() => upstreamAnswers(t.upstream, deadlineMs), deadlineMs)),
    ]);
    const down = [...(database ? [] : ['database']), ...(cache ? [] : ['cache']), ...targets.filter((_, i) => !upstreams[i]).map((t) => `upstream:${t.route}`)];
    ctx.set('Cache-Control', 'no-store');
    ctx.status = down.length === 0 ? 200 : 503;
    ctx.body = {
      status: down.length === 0 ? 'ready' : 'unavailable',
      database: { kind: deps.store.kind, ok: database },
      cache: { kind: deps.cache.kind, ok: cache },
      ...(targets.length > 0 ? { upstreams: targets.map((t, i) => ({ route: t.route, upstream: t.upstream, ok: upstreams[i] })) } : {}),
      down,
    };
  });
  return router;
}
