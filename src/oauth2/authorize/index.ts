import Router from '@koa/router';
import type { RequestState } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { decisionEndpoint } from './decision';
import { authorizeEndpoint, resumeEndpoint } from './endpoint';
import { AUTHORIZE_PATH, DECISION_PATH, RESUME_PATH } from './flow';

/** The OAuth 2.0 authorization endpoint (code with PKCE, implicit) and its consent step. */
export function authorizeRouter(deps: GatewayDeps): Router {
  const router = new Router<RequestState>();
  const authorize = authorizeEndpoint(deps);
  // Errors before the redirect URI is trusted, and outages, are our own page; the rest go back to the client.
  const pages = answersIn('page');
  router.get(AUTHORIZE_PATH, pages, authorize);
  router.post(AUTHORIZE_PATH, pages, authorize);
  router.get(RESUME_PATH, pages, resumeEndpoint(deps));
  router.post(DECISION_PATH, pages, decisionEndpoint(deps));
  return router;
}

export { AUTHORIZE_PATH } from './flow';
