import Router from '@koa/router';
import type { Context, RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { mountEndpoint, type Endpoint } from '../http/endpoint';
import { answersIn } from '../http/error-format';
import { routeName } from '../http/middleware/route-name';
import { openPageForm } from './form';
import { showLogin, submitLogin } from './login-flow';
import { showLogout, submitLogout } from './logout';
import { stylesheet, stylesheetEtag, stylesheetPath } from './stylesheet';

function loginEndpoint(deps: GatewayDeps): Endpoint {
  return {
    paths: ['/login'],
    common: [routeName('pages.login'), answersIn('page')],
    methods: {
      GET: [(ctx) => showLogin(ctx, deps)],
      // Anyone may load the login form: it carries the browser's CSRF token, not a session's.
      POST: [openPageForm(deps, { csrf: 'browser' }), (ctx) => submitLogin(ctx, deps)],
    },
  };
}

function logoutEndpoint(deps: GatewayDeps): Endpoint {
  return {
    paths: ['/logout'],
    common: [routeName('pages.logout'), answersIn('page')],
    methods: {
      GET: [(ctx) => showLogout(ctx, deps)],
      POST: [openPageForm(deps, { csrf: 'session' }), (ctx) => submitLogout(ctx, deps)],
    },
  };
}

async function serveStylesheet(ctx: Context): Promise<void> {
  ctx.state.outcome = 'ok';
  // The href carries the content digest (stylesheetHref), so a year-long immutable cache is safe.
  ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  ctx.set('ETag', stylesheetEtag);
  ctx.type = 'text/css; charset=utf-8';
  ctx.body = stylesheet;
  if (ctx.fresh) ctx.status = 304;
}

const stylesheetEndpoint: Endpoint = {
  paths: [stylesheetPath],
  common: [routeName('pages.stylesheet'), answersIn('page')],
  methods: { GET: [serveStylesheet] },
};

/** /login, /logout and the stylesheet. Flow pages (consent, device) live with their flows. */
export function pagesRouter(deps: GatewayDeps): Router {
  const router = new Router<RequestState>();
  for (const endpoint of [loginEndpoint(deps), logoutEndpoint(deps), stylesheetEndpoint]) mountEndpoint(router, endpoint);
  return router;
}
