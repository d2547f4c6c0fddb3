import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { fromEarlierStep } from '../../http/endpoint';
import { answersIn } from '../../http/error-format';
import { noStore } from '../../http/middleware/no-store';
import { routeName } from '../../http/middleware/route-name';
import { requireBearer } from '../bearer';
import type { OAuth2Endpoint } from './types';

export const WHOAMI_PATH = '/oauth2/whoami';

const answerIdentity: Middleware = async function answerIdentity(ctx: Context): Promise<void> {
  ctx.body = fromEarlierStep(ctx.state.identity, 'requireBearer');
};

/**
 * GET /oauth2/whoami: who the bearer token says the caller is. A protected resource of the gateway's
 * own, so a client can check a token without a route to an upstream; its refusals answer as the
 * protected routes do (RFC 6750 challenge, the gateway's JSON).
 */
export function whoamiEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  return {
    paths: [WHOAMI_PATH],
    common: [routeName('oauth2.whoami'), answersIn('gateway')],
    methods: { GET: [requireBearer(deps), noStore, answerIdentity] },
    announces: null,
  };
}
