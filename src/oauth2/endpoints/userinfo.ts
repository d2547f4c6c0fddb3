import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { fromEarlierStep } from '../../http/endpoint';
import { answersIn } from '../../http/error-format';
import { noStore } from '../../http/middleware/no-store';
import { routeName } from '../../http/middleware/route-name';
import { cors } from '../../cors';
import { userClaims } from '../../oidc/claims';
import { BearerError } from '../bearer';
import type { OAuth2Endpoint } from './types';

export const USERINFO_PATH = '/oauth2/userinfo';

function answerClaims(deps: GatewayDeps): Middleware {
  const { realm } = deps.config.oauth2;
  return async function answerClaims(ctx: Context): Promise<void> {
    const identity = fromEarlierStep(ctx.state.identity, 'requireBearer');
    // A client_credentials token has no end-user to describe (Core section 5.3: claims about the End-User).
    const user = identity.userId === null ? null : await deps.store.users.findById(identity.userId);
    if (!user) throw new BearerError(401, 'invalid_token', 'This access token was not issued for a user.', realm);
    ctx.body = userClaims(user, identity.scopes);
  };
}

/**
 * GET and POST /oauth2/userinfo (OpenID Connect Core section 5.3): the signed-in user's claims that
 * the token's scopes allow: sub always, profile and email claims when granted. The token must hold
 * `openid`; refusals are RFC 6750 challenges.
 */
export function userinfoEndpoint(deps: GatewayDeps, requireBearer: (scopes: readonly string[]) => Middleware): OAuth2Endpoint {
  const pipeline = [requireBearer(['openid']), noStore, answerClaims(deps)];
  return {
    paths: [USERINFO_PATH],
    common: [routeName('oauth2.userinfo'), answersIn('oauth2'), cors({ allowedOrigins: deps.config.cors.allowedOrigins, methods: ['GET', 'POST'] })],
    methods: { GET: pipeline, POST: pipeline },
    announces: { as: 'userinfo_endpoint' },
  };
}
