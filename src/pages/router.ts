import Router from '@koa/router';
import type { Context, Next, RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { answersIn } from '../http/error-format';
import { showLogin, submitLogin } from './login-flow';
import { showLogout, submitLogout } from './logout';
import { stylesheet, stylesheetEtag, stylesheetPath } from './stylesheet';

const named = (name: string) => async (ctx: Context, next: Next) => {
  ctx.state.routeName = name;
  await next();
};

/** /login, /logout and the stylesheet. Flow pages (consent, device) live with their flows. */
export function pagesRouter(deps: GatewayDeps): Router {
  const router = new Router<RequestState>();
  const pages = answersIn('page');
  router.get('/login', named('pages.login'), pages, (ctx) => showLogin(ctx, deps));
  router.post('/login', named('pages.login'), pages, (ctx) => submitLogin(ctx, deps));
  router.get('/logout', named('pages.logout'), pages, (ctx) => showLogout(ctx, deps));
  router.post('/logout', named('pages.logout'), pages, (ctx) => submitLogout(ctx, deps));
  router.get(stylesheetPath, named('pages.stylesheet'), pages, (ctx) => {
    ctx.state.outcome = 'ok';
    // The href carries the content digest (stylesheetHref), so a year-long immutable cache is safe.
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('ETag', stylesheetEtag);
    ctx.type = 'text/css; charset=utf-8';
    ctx.body = stylesheet;
    if (ctx.fresh) ctx.status = 304;
  });
  return router;
}
