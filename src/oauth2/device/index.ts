import Router from '@koa/router';
import type { RequestState } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { OAuth2Error } from '../errors';
import { DEVICE_AUTHORIZATION_PATH, deviceAuthorizationEndpoint } from './authorization-endpoint';
import { DONE_PATH, doneEndpoint, showConfirmEndpoint, submitConfirmEndpoint } from './confirm';
import { CONFIRM_PATH, ENTRY_PATH, showEntryEndpoint, submitEntryEndpoint } from './entry';

/**
 * The device authorization grant (RFC 8628): the device's endpoint, and the pages where the user
 * enters the code, signs in and decides. The device's polling is a grant of the token endpoint.
 */
export function deviceRouter(deps: GatewayDeps): Router {
  const router = new Router<RequestState>();
  const oauth2 = answersIn('oauth2');
  const pages = answersIn('page');
  router.post(DEVICE_AUTHORIZATION_PATH, oauth2, deviceAuthorizationEndpoint(deps));
  router.get(DEVICE_AUTHORIZATION_PATH, oauth2, (ctx) => {
    ctx.state.routeName = 'oauth2.device_authorization';
    throw new OAuth2Error('invalid_request', 'The device authorization endpoint takes POST requests.', { status: 405, headers: { Allow: 'POST' } });
  });
  router.get(ENTRY_PATH, pages, showEntryEndpoint(deps));
  router.post(ENTRY_PATH, pages, submitEntryEndpoint(deps));
  router.get(CONFIRM_PATH, pages, showConfirmEndpoint(deps));
  router.post(CONFIRM_PATH, pages, submitConfirmEndpoint(deps));
  router.get(DONE_PATH, pages, doneEndpoint());
  return router;
}
