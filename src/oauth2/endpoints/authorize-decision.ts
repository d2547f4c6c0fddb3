import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { PageError, decisionField, loadSession, openPageForm, pageFormOf, seeOther } from '../../pages';
import { AuthorizationError } from '../authorize/errors';
import { DECISION_PATH, liveClient, pendingAuthorizations, redirectError, redirectToClient, requestExpired, resumePath } from '../authorize/flow';
import { grantResponse } from '../authorize/grant-response';
import { consentIsRemembered, rememberConsent } from '../consent';
import type { OAuth2Endpoint } from './types';

/**
 * The request comes from the session (the form only names it), is used once, and the answer is a
 * 303 to the client: a code or token when allowed (and, for a confidential client, the scopes
 * remembered), access_denied when not.
 */
function decide(deps: GatewayDeps): Middleware {
  return async function decide(ctx: Context): Promise<void> {
    const form = pageFormOf(ctx).fields;
    const session = await loadSession(ctx, deps);
    const flowId = form.get('flow') ?? null;
    const request = pendingAuthorizations.peek(session, flowId);
    if (!flowId || !request) throw requestExpired();
    const decision = form.get(decisionField);
    if (decision !== 'approve' && decision !== 'deny') {
      throw new PageError(400, 'Something is wrong with this request', 'The form did not say whether to allow or deny. Go back and try again.');
    }
    const user = session.user ? await deps.store.users.findById(session.user.id) : null;
    // Disabled since the page was shown: back through the login page (which ends the session).
    if (!user || !user.enabled) return seeOther(ctx, resumePath(ctx, deps, { request }));
    const client = await liveClient(deps, request);
    await pendingAuthorizations.drop(session, flowId);
    deps.metrics.consentDecisions.inc({ protocol: 'oauth2', decision });

    if (decision === 'deny') {
      return redirectError(ctx, deps, request, new AuthorizationError('access_denied', 'The user denied the request.'));
    }
    if (consentIsRemembered(client)) await rememberConsent(deps.store.consents, user.id, client.clientId, request.scope, deps.clock());
    ctx.state.outcome = 'ok';
    redirectToClient(ctx, await grantResponse(ctx, deps, client, user, request));
  };
}

/** POST /oauth2/authorize/decision: the consent form, CSRF-checked against the signed-in session's token first. */
export function authorizationDecisionEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  return {
    paths: [DECISION_PATH],
    common: [routeName('oauth2.authorize'), answersIn('page')],
    methods: { POST: [openPageForm(deps, { csrf: 'session' }), decide(deps)] },
    announces: null,
  };
}
