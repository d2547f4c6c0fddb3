import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import type { ClientRow } from '../../storage/types';
import { PageError, loadSession, seeOther } from '../../pages';
import { AuthorizationError, LocalRefusal } from '../authorize/errors';
import { AUTHORIZE_PATH, continueAuthorization, redirectToClient } from '../authorize/flow';
import { asQuery, readAuthorizeParams } from '../authorize/read-params';
import {
  RESPONSE_TYPES,
  requestedClientId,
  requestedResponseType,
  requestedState,
  resolveRedirect,
  validateAuthorizeRequest,
  type AuthorizeParams,
  type AuthorizeRequest,
  type ResolvedRedirect,
} from '../authorize/request';
import { staleSignInFor } from '../authorize/openid-request';
import { pushedReference, type PushedReference } from '../authorize/pushed';
import { takePushedRequest } from '../par/pushed-requests';
import { RESPONSE_MODES, errorResponse, responseModeFor } from '../authorize/response';
import { issuerFor } from '../issuer';
import { PKCE_METHODS } from '../pkce';
import type { OAuth2Endpoint } from './types';

const refusalTitles: Record<LocalRefusal['about'], string> = {
  client: 'This application is not known',
  redirect_uri: 'This application sent a wrong return address',
};

interface Trusted {
  client: ClientRow;
  redirect: ResolvedRedirect;
}

/** A LocalRefusal as our own error page. */
function asPage<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof LocalRefusal) throw new PageError(400, refusalTitles[err.about], `${err.message} Go back to the application and try again.`);
    throw err;
  }
}

/** Stage one of the checks; its failures are our own error page, never a redirect. */
async function trustedClient(deps: GatewayDeps, params: AuthorizeParams): Promise<Trusted> {
  const client = await deps.store.clients.findById(asPage(() => requestedClientId(params)));
  const redirect = asPage(() => resolveRedirect(params, client)); // throws unless the client is known and enabled
  return { client: client as ClientRow, redirect };
}

/** A refusal after stage one: back to the client with error, error_description, state and iss. */
function refuse(ctx: Context, deps: GatewayDeps, params: AuthorizeParams, { client, redirect }: Trusted, err: AuthorizationError): null {
  const to = { redirectUri: redirect.redirectUri, state: requestedState(params), issuer: issuerFor(ctx, deps) };
  ctx.state.log?.info({ clientId: client.clientId, error: err.error }, 'oauth2 authorization refused');
  ctx.state.outcome = 'rejected';
  redirectToClient(ctx, errorResponse(to, responseModeFor(requestedResponseType(params)), err));
  return null;
}

/** Stage two; its failures go back to the client. */
function accepted(ctx: Context, deps: GatewayDeps, params: AuthorizeParams, trusted: Trusted): AuthorizeRequest | null {
  try {
    return validateAuthorizeRequest(params, trusted.client, trusted.redirect);
  } catch (err) {
    if (!(err instanceof AuthorizationError)) throw err;
    return refuse(ctx, deps, params, trusted, err);
  }
}

/**
 * RFC 9126 section 4: the pushed request a request_uri names, used up, instead of the request's own
 * parameters. Refused (unknown, used, expired, another client's): invalid_request_uri to the
 * client's redirect URI when it has exactly one (the one authorize would use with none named; the
 * pushed request held the choice), else our own page; either way no request parameter is trusted.
 */
async function pushedParams(ctx: Context, deps: GatewayDeps, reference: PushedReference): Promise<AuthorizeParams | null> {
  const taken = await takePushedRequest(deps.cache, deps.clock(), reference.requestUri, reference.clientId);
  if ('params' in taken) return taken.params;
  ctx.state.log?.info({ clientId: reference.clientId, refusal: taken.refusal }, 'oauth2 request_uri refused');
  const params: AuthorizeParams = [['client_id', reference.clientId]];
  const error = new AuthorizationError('invalid_request_uri', 'The request_uri is unknown, expired, already used, or not this client\'s.');
  let trusted: Trusted;
  try {
    trusted = await trustedClient(deps, params);
  } catch (err) {
    if (!(err instanceof PageError)) throw err;
    ctx.state.outcome = 'rejected';
    throw new PageError(400, 'This request has expired', 'The application sent an authorization request that has expired, was already used, or is not its own. Go back to the application and start again.');
  }
  return refuse(ctx, deps, params, trusted, error);
}

/**
 * A valid request is continued: sign-in (the login page carries the request in a signed ticket,
 * nothing is stored for a browser nobody signed in to), then consent, then the redirect with a code
 * or token. prompt=login, or a sign-in older than max_age, notes which sign-in the browser has on
 * arrival: only a newer one counts (the user stays signed in meanwhile).
 */
function authorize(deps: GatewayDeps): Middleware {
  return async function authorize(ctx: Context): Promise<void> {
    const sent = await readAuthorizeParams(ctx, deps);
    const reference = asPage(() => pushedReference(sent));
    // A POSTed request goes on as a GET: a page never answers a POST (and the SameSite=Lax session
    // cookie is not sent with a cross-site POST, so the signed-in session is only seen on the GET).
    // A pushed one goes on by reference, still unused: its parameters stay out of the address bar.
    if (reference && ctx.method === 'POST') {
      return seeOther(ctx, `${AUTHORIZE_PATH}?${asQuery([['client_id', reference.clientId], ['request_uri', reference.requestUri]])}`);
    }
    const params = reference ? await pushedParams(ctx, deps, reference) : sent;
    if (!params) return;
    const trusted = await trustedClient(deps, params);
    if (!reference && trusted.client.requirePar) {
      return void refuse(ctx, deps, params, trusted, new AuthorizationError('invalid_request', 'This client must push its authorization requests to the pushed authorization request endpoint.'));
    }
    const request = accepted(ctx, deps, params, trusted);
    if (!request) return;
    if (ctx.method === 'POST') return seeOther(ctx, `${AUTHORIZE_PATH}?${asQuery(params)}`);
    const staleSignIn = staleSignInFor(request, (await loadSession(ctx, deps)).user, deps.clock());
    await continueAuthorization(ctx, deps, { request, staleSignIn });
  };
}

/**
 * GET or POST /oauth2/authorize (RFC 6749 section 3.1: GET must be supported, POST may be). Errors
 * before the redirect URI is trusted, and outages, are our own page; the rest go back to the client.
 */
export function authorizationEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  const pipeline = [authorize(deps)];
  return {
    paths: [AUTHORIZE_PATH],
    common: [routeName('oauth2.authorize'), answersIn('page')],
    methods: { GET: pipeline, POST: pipeline },
    announces: {
      as: 'authorization_endpoint',
      supports: {
        response_types_supported: RESPONSE_TYPES,
        response_modes_supported: RESPONSE_MODES,
        // The grant this endpoint completes by itself; the code is redeemed at the token endpoint.
        grant_types_supported: ['implicit'],
        code_challenge_methods_supported: PKCE_METHODS,
      },
    },
  };
}
