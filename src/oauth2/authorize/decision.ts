import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { PageError, csrfFieldName, decisionField, loadSession, readPageForm, seeOther, verifyCsrf } from '../../pages';
import { consentIsRemembered, rememberConsent } from '../consent';
import { AuthorizationError } from './errors';
import { liveClient, pendingAuthorizations, redirectError, redirectToClient, requestExpired, resumePath } from './flow';
import { grantResponse } from './grant-response';

/**
 * POST /oauth2/authorize/decision: the consent form. CSRF first (the signed-in session's token); the
 * request comes from the session (the form only names it), is used once, and the answer is a 303 to
 * the client: a code or token when allowed (and, for a confidential client, the scopes remembered),
 * access_denied when not.
 */
export function decisionEndpoint(deps: GatewayDeps) {
  return async function decide(ctx: Context): Promise<void> {
    ctx.state.routeName = 'oauth2.authorize';
    const form = await readPageForm(ctx, deps);
    const session = await loadSession(ctx, deps);
    verifyCsrf(ctx, session, form.get(csrfFieldName));
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

    if (decision === 'deny') {
      return redirectError(ctx, deps, request, new AuthorizationError('access_denied', 'The user denied the request.'));
    }
    if (consentIsRemembered(client)) await rememberConsent(deps.store.consents, user.id, client.clientId, request.scope, deps.clock());
    ctx.state.outcome = 'ok';
    redirectToClient(ctx, await grantResponse(ctx, deps, client, user, request));
  };
}
