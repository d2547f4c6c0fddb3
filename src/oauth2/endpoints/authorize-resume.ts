import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { RESUME_PATH, continueAuthorization, openResumeTicket, requestExpired } from '../authorize/flow';
import type { OAuth2Endpoint } from './types';

function resume(deps: GatewayDeps): Middleware {
  return async function resume(ctx: Context): Promise<void> {
    const pending = openResumeTicket(ctx, deps, ctx.query.ticket);
    if (!pending) throw requestExpired();
    await continueAuthorization(ctx, deps, pending);
  };
}

/** GET /oauth2/authorize/resume?ticket=...: back from the login page, the request in its ticket. */
export function authorizationResumeEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  return {
    paths: [RESUME_PATH],
    common: [routeName('oauth2.authorize'), answersIn('page')],
    methods: { GET: [resume(deps)] },
    announces: null,
  };
}
