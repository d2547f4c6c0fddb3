import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { readIdTokenHint } from '../../oidc/id-token-hint';
import { PageError, badRequest, loadSession, logout, seeOther } from '../../pages';
import { readAuthorizeParams } from '../authorize/read-params';
import { responseUri } from '../authorize/response';
import { issuerFor } from '../issuer';
import type { OAuth2Endpoint } from './types';

export const END_SESSION_PATH = '/oauth2/logout';

const single = (params: ReadonlyArray<readonly [string, string]>, name: string): string | undefined | null => {
  const values = params.filter(([n]) => n === name).map(([, v]) => v);
  if (values.length > 1) return null;
  return values[0] === '' ? undefined : values[0];
};

function endSession(deps: GatewayDeps): Middleware {
  return async function endSession(ctx: Context): Promise<void> {
    const params = await readAuthorizeParams(ctx, deps);
    const hintText = single(params, 'id_token_hint');
    const redirect = single(params, 'post_logout_redirect_uri');
    const state = single(params, 'state');
    const clientId = single(params, 'client_id');
    if (hintText === null || redirect === null || state === null || clientId === null) throw badRequest('The application sent a logout parameter more than once.');
    // Without a hint nothing proves who asks: the user confirms on the gateway's own logout page.
    if (hintText === undefined) return seeOther(ctx, '/logout');
    const issuer = issuerFor(ctx, deps);
    const hint = await readIdTokenHint(hintText, (await deps.signingKeys.jwks()) as never, issuer);
    if (!hint || (clientId !== undefined && clientId !== hint.clientId)) {
      throw badRequest('The application asked to end your session with an identity this site did not issue to it.');
    }
    const session = await loadSession(ctx, deps);
    // Only the session of the user the ID token names ends: another user's hint signs nobody out.
    if (session.user && session.user.id === hint.sub) {
      await logout(ctx, deps);
      ctx.state.log?.info({ client_id: hint.clientId, user_id: hint.sub }, 'user signed out by the application (RP-initiated logout)');
    }
    if (redirect === undefined) return seeOther(ctx, '/logout');
    const client = await deps.store.clients.findById(hint.clientId);
    if (!client || !client.enabled || !(client.postLogoutRedirectUris ?? []).includes(redirect)) {
      throw new PageError(400, 'Signed out', 'You are signed out. The application asked to send you to an address it has not registered, so you stay here.');
    }
    seeOther(ctx, state === undefined ? redirect : responseUri(redirect, 'query', [['state', state]]));
    if (ctx.method !== 'POST') ctx.status = 302;
  };
}

/**
 * GET and POST /oauth2/logout (OpenID Connect RP-Initiated Logout 1.0): with an id_token_hint we
 * issued (expired ones too), the browser's session ends when it is the hinted user's, then the
 * browser goes to a registered post_logout_redirect_uri of that client, with state. Without a hint,
 * the gateway's own logout page asks the user.
 */
export function endSessionEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  return {
    paths: [END_SESSION_PATH],
    common: [routeName('oauth2.end_session'), answersIn('page')],
    methods: { GET: [endSession(deps)], POST: [endSession(deps)] },
    announces: { as: 'end_session_endpoint' },
  };
}
