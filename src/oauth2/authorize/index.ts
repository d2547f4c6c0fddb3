import Router from '@koa/router';
import type { GatewayDeps } from '../../deps';
import { decisionEndpoint } from './decision';
import { authorizeEndpoint, resumeEndpoint } from './endpoint';
import { AUTHORIZE_PATH, DECISION_PATH, RESUME_PATH } from './flow';

/** The OAuth 2.0 authorization endpoint (code with PKCE, implicit) and its consent step. */
export function authorizeRouter(deps: GatewayDeps): Router {
  const router = new Router();
  const authorize = authorizeEndpoint(deps);
  router.get(AUTHORIZE_PATH, authorize);
  router.post(AUTHORIZE_PATH, authorize);
  router.get(RESUME_PATH, resumeEndpoint(deps));
  router.post(DECISION_PATH, decisionEndpoint(deps));
  return router;
}

export { AUTHORIZE_PATH } from './flow';
