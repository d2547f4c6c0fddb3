import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import type { ClientRow, UserRow } from '../../storage/types';
import {
  LOGIN_PAGE_LIFETIME_MS,
  PageError,
  consentPage,
  flowState,
  formTargetFor,
  isSafeContinuePath,
  loadSession,
  openTicket,
  requireLogin,
  seeOther,
  sendPage,
  signTicket,
  ticketKeysOf,
} from '../../pages';
import { hasConsent, rememberedConsentApplies } from '../consent';
import { consentDetails } from '../consent-details';
import { AuthorizationError } from './errors';
import { grantResponse, responseContext } from './grant-response';
import { stillAcceptable, type AuthorizeRequest } from './request';
import { errorResponse, responseModeFor } from './response';
import { idTokenHintRefusal } from './id-token-hint';

/** The authorization endpoint (RFC 6749 section 3.1). */
export const AUTHORIZE_PATH = '/oauth2/authorize';
/** Where the browser comes back after signing in (a GET carrying the request in a ticket). */
export const RESUME_PATH = '/oauth2/authorize/resume';
/** Where the consent form posts its decision. */
export const DECISION_PATH = '/oauth2/authorize/decision';

/** An accepted request on its way through the sign-in page. */
export interface PendingAuthorization {
  request: AuthorizeRequest;
  /** prompt=login or max_age: the sign-in the browser had when the request arrived (see RequireLoginOptions). */
  staleSignIn?: string | null;
}

/**
 * Requests waiting on the consent page, in the signed-in user's session (several tabs may each
 * have one). Before sign-in a request is kept nowhere: it travels in the login page's ticket.
 */
export const pendingAuthorizations = flowState<AuthorizeRequest>('oauth2.authorize');

const resumePurpose = 'oauth2-authorize-resume';

/** The way back from the login page: the request itself, signed and expiring with the page. */
export function resumePath(ctx: Context, deps: Pick<GatewayDeps, 'clock'>, pending: PendingAuthorization): string {
  const ticket = signTicket(ticketKeysOf(ctx), resumePurpose, pending, deps.clock() + LOGIN_PAGE_LIFETIME_MS);
  return `${RESUME_PATH}?ticket=${encodeURIComponent(ticket)}`;
}

/** The request a resume ticket carries, or null when it is not ours, tampered with or expired. */
export function openResumeTicket(ctx: Context, deps: Pick<GatewayDeps, 'clock'>, ticket: unknown): PendingAuthorization | null {
  return openTicket<PendingAuthorization>(ticketKeysOf(ctx), resumePurpose, ticket, deps.clock());
}

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
  ctx.state.log?.info({ clientId: request.clientId, error: error.error }, 'oauth2 authorization refused');
  ctx.state.outcome = error.error === 'access_denied' ? 'denied' : 'rejected';
  redirectToClient(ctx, errorResponse(responseContext(ctx, deps, request), responseModeFor(request.responseType), error));
}

/**
 * The client of a request accepted earlier, still known, enabled and allowed to make it: it may
 * have been disabled or changed while the user was signing in or deciding.
 */
export async function liveClient(deps: GatewayDeps, request: AuthorizeRequest): Promise<ClientRow> {
  const client = await deps.store.clients.findById(request.clientId);
  if (!client || !client.enabled) {
    throw new PageError(400, 'This application is not available', 'The application that sent you here is no longer known to this site.');
  }
  if (!stillAcceptable(request, client)) throw requestExpired();
  return client;
}

export function formTargets(request: Pick<AuthorizeRequest, 'redirectUri'>): string[] {
  const target = formTargetFor(request.redirectUri);
  return target ? [target] : [];
}

/** prompt=none: who is signed in, without ever showing a page; a sign-in set aside (max_age) is nobody. */
async function silentUser(ctx: Context, deps: GatewayDeps, staleSignIn: string | null | undefined): Promise<UserRow | null> {
  const session = await loadSession(ctx, deps);
  if (!session.user || (staleSignIn !== undefined && session.user.signInId === staleSignIn)) return null;
  const user = await deps.store.users.findById(session.user.id);
  return user && user.enabled ? user : null;
}

/**
 * The rest of an accepted request: make sure someone is signed in (the login page carries the
 * request in its ticket; nothing is stored), skip the consent page when the user already allowed
 * these scopes and the client may rely on that (a confidential client asking for a code, without
 * prompt=consent), else ask. prompt=none never shows a page.
 */
export async function continueAuthorization(ctx: Context, deps: GatewayDeps, pending: PendingAuthorization): Promise<void> {
  const { request } = pending;
  const client = await liveClient(deps, request);
  const targets = formTargets(request);
  const back = resumePath(ctx, deps, pending);
  // Only with every parameter near its cap and full of characters JSON escapes: refused plainly
  // rather than with a way back no browser could follow.
  if (!isSafeContinuePath(back)) {
    return redirectError(ctx, deps, request, new AuthorizationError('invalid_request', 'The request is too large to carry through the sign-in page.'));
  }
  let user: UserRow | null;
  if (request.prompt.none) {
    user = await silentUser(ctx, deps, pending.staleSignIn);
    if (!user) return redirectError(ctx, deps, request, new AuthorizationError('login_required', 'The user is not signed in.'));
  } else {
    user = await requireLogin(ctx, deps, {
      continueTo: back,
      appName: client.name,
      formTargets: targets,
      staleSignIn: pending.staleSignIn,
      loginHint: request.loginHint,
    });
    if (!user) return;
  }
  if (request.idTokenHint) {
    const refusal = await idTokenHintRefusal(ctx, deps, request.idTokenHint, user);
    if (refusal) return redirectError(ctx, deps, request, refusal);
  }

  const silent = !request.prompt.consent && rememberedConsentApplies(client, request.responseType);
  if (silent && (await hasConsent(deps.store.consents, user.id, client.clientId, request.scope))) {
    ctx.state.outcome = 'ok';
    return redirectToClient(ctx, await grantResponse(ctx, deps, client, user, request));
  }
  if (request.prompt.none) {
    const why = silent ? 'The user has not allowed this client these scopes.' : 'This client gets an answer only after the user decides on the consent page.';
    return redirectError(ctx, deps, request, new AuthorizationError('consent_required', why));
  }
  const session = await loadSession(ctx, deps);
  const flowId = await pendingAuthorizations.stash(session, request);
  const page = consentPage({
    appName: client.name,
    username: user.username,
    ...consentDetails(ctx, deps, client, { scope: request.scope, responseType: request.responseType, redirectUri: request.redirectUri }),
    action: DECISION_PATH,
    csrfToken: await session.csrfToken(),
    hidden: { flow: flowId },
  });
  // The decision's 303 ends at the client's redirect URI: CSP form-action must allow that hop.
  sendPage(ctx, page, { formTargets: targets });
  ctx.state.outcome = 'ok';
}
