import type { Context } from 'koa';
import type { GatewayDeps } from '../../deps';
import type { Client, User } from '../../storage/entities';
import { PageError, consentPage, flowState, formTargetFor, loadSession, requireLogin, seeOther, sendPage } from '../../pages';
import { hasConsent } from '../consent';
import { AuthorizationError } from './errors';
import { grantResponse, responseContext } from './grant-response';
import type { AuthorizeRequest } from './request';
import { errorResponse, responseModeFor } from './response';

export { AUTHORIZATION_PATH as AUTHORIZE_PATH } from '../metadata';
/** Where the browser comes back after signing in (a GET that picks the stashed request up again). */
export const RESUME_PATH = '/oauth2/authorize/resume';
/** Where the consent form posts its decision. */
export const DECISION_PATH = '/oauth2/authorize/decision';

/** Validated requests waiting for the user, per browser session (several tabs may each have one). */
export const pendingAuthorizations = flowState<AuthorizeRequest>('oauth2.authorize');

export const resumePath = (flowId: string) => `${RESUME_PATH}?flow=${encodeURIComponent(flowId)}`;

export const requestExpired = () =>
  new PageError(400, 'This request has expired', 'The sign-in took too long or the page was already used. Go back to the application and start again.');

/**
 * Sends the browser to the client (302 after a GET, 303 after a POST). The redirect itself says
 * nothing about our page to the client (no referrer) and is never cached.
 */
export function redirectToClient(ctx: Context, location: string): void {
  seeOther(ctx, location);
  if (ctx.method !== 'POST') ctx.status = 302;
  ctx.body = 'Redirecting to the application';
}

/** An error for the client, in the query or the fragment as the response type wants. */
export function redirectError(ctx: Context, deps: GatewayDeps, request: AuthorizeRequest, error: AuthorizationError): void {
  ctx.state.log?.info({ client_id: request.clientId, error: error.error }, 'oauth2 authorization refused');
  ctx.state.outcome = error.error === 'access_denied' ? 'denied' : 'rejected';
  redirectToClient(ctx, errorResponse(responseContext(ctx, deps, request), responseModeFor(request.responseType), error));
}

/** The client, still known and enabled (it may have been disabled while the user was signing in). */
export async function liveClient(deps: GatewayDeps, clientId: string): Promise<Client> {
  const client = await deps.store.clients.findById(clientId);
  if (!client || !client.enabled) {
    throw new PageError(400, 'This application is not available', 'The application that sent you here is no longer known to this site.');
  }
  return client;
}

export function formTargets(request: Pick<AuthorizeRequest, 'redirectUri'>): string[] {
  const target = formTargetFor(request.redirectUri);
  return target ? [target] : [];
}

/** prompt=none: who is signed in, without ever showing a page. */
async function silentUser(ctx: Context, deps: GatewayDeps): Promise<User | null> {
  const session = await loadSession(ctx, deps);
  if (!session.user) return null;
  const user = await deps.store.users.findById(session.user.id);
  return user && user.enabled ? user : null;
}

/**
 * The rest of an accepted request: make sure someone is signed in, skip the consent page when the
 * user already allowed these scopes (unless prompt=consent), else ask. prompt=none never shows a page.
 */
export async function continueAuthorization(ctx: Context, deps: GatewayDeps, flowId: string, request: AuthorizeRequest): Promise<void> {
  const client = await liveClient(deps, request.clientId);
  const session = await loadSession(ctx, deps);
  const targets = formTargets(request);
  let user: User | null;
  if (request.prompt.none) {
    user = await silentUser(ctx, deps);
    if (!user) {
      await pendingAuthorizations.drop(session, flowId);
      return redirectError(ctx, deps, request, new AuthorizationError('login_required', 'The user is not signed in.'));
    }
  } else {
    user = await requireLogin(ctx, deps, { continueTo: resumePath(flowId), appName: client.name, formTargets: targets });
    if (!user) return;
  }

  if (!request.prompt.consent && (await hasConsent(deps.store.consents, user.id, client.clientId, request.scope))) {
    await pendingAuthorizations.drop(session, flowId);
    ctx.state.outcome = 'ok';
    return redirectToClient(ctx, await grantResponse(ctx, deps, client, user, request));
  }
  if (request.prompt.none) {
    await pendingAuthorizations.drop(session, flowId);
    return redirectError(ctx, deps, request, new AuthorizationError('consent_required', 'The user has not allowed this client these scopes.'));
  }
  const page = consentPage({
    appName: client.name,
    username: user.username,
    scopes: request.scope,
    action: DECISION_PATH,
    csrfToken: await session.csrfToken(),
    hidden: { flow: flowId },
  });
  // The decision's 303 ends at the client's redirect URI: CSP form-action must allow that hop.
  sendPage(ctx, page, { formTargets: targets });
  ctx.state.outcome = 'ok';
}
