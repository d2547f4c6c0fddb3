import Router from '@koa/router';
import type { Middleware, RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { mountEndpoint } from '../http/endpoint';
import { routeName } from '../http/middleware/route-name';
import { oauth1Refusals } from './refusals';
import { oauth1CredentialCheck } from './resource-request';
import { requestTokenEndpoint } from './endpoints/request-token';
import { userAuthEndpoint } from './endpoints/user-auth';
import { accessTokenEndpoint } from './endpoints/access-token';
import { refreshAccessTokenEndpoint } from './endpoints/refresh-access-token';
import { xauthAccessTokenEndpoint, xauthGetRefused } from './endpoints/xauth-access-token';
import { whoamiEndpoint } from './endpoints/whoami';

export { oauth1CredentialCheck } from './resource-request';
export { oauth1TwoLeggedCheck } from './two-legged';

/**
 * The OAuth 1.0a provider (WebEx Social endpoint names). Token endpoints and whoami answer problem
 * reports form-encoded; /oauth/user_auth is a browser page and answers with pages.
 */
export function oauth1Router(deps: GatewayDeps): Router {
  const router = new Router<RequestState>();
  const problems = oauth1Refusals(deps);
  const getAndPost = (path: string, name: string, handler: Middleware) => {
    router.get(path, routeName(name), problems, handler);
    router.post(path, routeName(name), problems, handler);
  };

  getAndPost('/oauth/request_token', 'oauth1.request_token', requestTokenEndpoint(deps));
  getAndPost('/oauth/access_token', 'oauth1.access_token', accessTokenEndpoint(deps));
  getAndPost('/oauth/refresh_access_token', 'oauth1.refresh_access_token', refreshAccessTokenEndpoint(deps));

  router.post('/oauth/xauth_access_token', routeName('oauth1.xauth_access_token'), problems, xauthAccessTokenEndpoint(deps));
  router.get('/oauth/xauth_access_token', routeName('oauth1.xauth_access_token'), problems, () => {
    throw xauthGetRefused();
  });

  mountEndpoint(router, userAuthEndpoint(deps));

  // A signed resource request may carry its parameters in a form body, hence POST too.
  const whoami = whoamiEndpoint(oauth1CredentialCheck(deps));
  router.get('/oauth/whoami', routeName('oauth1.whoami'), problems, whoami);
  router.post('/oauth/whoami', routeName('oauth1.whoami'), problems, whoami);
  return router;
}
