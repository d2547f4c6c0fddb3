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
import { script, scriptEtag, scriptPath } from './script';
import type { Asset, BrandAssets } from './brand-assets';

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

/** A static file of ours; its href carries the content digest, so a year-long immutable cache is safe. */
function serveAsset(file: Pick<Asset, 'etag' | 'type' | 'body'>, headers: Record<string, string> = {}) {
  return async function serveAsset(ctx: Context): Promise<void> {
    ctx.state.outcome = 'ok';
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('ETag', file.etag);
    ctx.set(headers);
    ctx.type = file.type;
    ctx.body = file.body;
    if (ctx.fresh) ctx.status = 304;
  };
}

function assetEndpoint(path: string, name: string, file: Pick<Asset, 'etag' | 'type' | 'body'>, headers?: Record<string, string>): Endpoint {
  return { paths: [path], common: [routeName(name), answersIn('page')], methods: { GET: [serveAsset(file, headers)] } };
}

/** The stylesheet, the script, and the configured logo and accent colour (brand-assets.ts). */
function assetEndpoints(brand: BrandAssets): Endpoint[] {
  const endpoints = [
    assetEndpoint(stylesheetPath, 'pages.stylesheet', { etag: stylesheetEtag, type: 'text/css; charset=utf-8', body: Buffer.from(stylesheet) }),
    assetEndpoint(scriptPath, 'pages.script', { etag: scriptEtag, type: 'text/javascript; charset=utf-8', body: Buffer.from(script) }),
  ];
  if (brand.accent) endpoints.push(assetEndpoint(brand.accent.path, 'pages.brand', brand.accent));
  // An SVG opened on its own is a document: it may run nothing and load nothing.
  if (brand.logo) endpoints.push(assetEndpoint(brand.logo.path, 'pages.logo', brand.logo, { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox" }));
  return endpoints;
}

/** /login, /logout and the assets. Flow pages (consent, device) live with their flows. */
export function pagesRouter(deps: GatewayDeps, brand: BrandAssets = { logo: null, accent: null }): Router {
  const router = new Router<RequestState>();
  for (const endpoint of [loginEndpoint(deps), logoutEndpoint(deps), ...assetEndpoints(brand)]) mountEndpoint(router, endpoint);
  return router;
}
