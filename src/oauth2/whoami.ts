import Router from '@koa/router';
import type { RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { answersIn } from '../http/error-format';
import { noStore } from '../http/security-headers';
import { requireBearer } from './bearer';

export const WHOAMI_PATH = '/oauth2/whoami';

/** GET /oauth2/whoami: who the bearer token says the caller is (proves the verifier before the proxy exists). */
export function whoamiRouter(deps: GatewayDeps): Router {
  const router = new Router<RequestState>();
  // A protected resource: its refusals answer as the gateway's protected routes do (RFC 6750 challenge, JSON).
  router.get(WHOAMI_PATH, answersIn('gateway'), requireBearer(deps), (ctx) => {
    ctx.state.routeName = 'oauth2.whoami';
    noStore(ctx);
    ctx.body = ctx.state.identity;
  });
  return router;
}
