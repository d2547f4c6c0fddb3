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

/** Stage one of the checks; its failures are our own error page, never a redirect. */
async function trustedClient(deps: GatewayDeps, params: AuthorizeParams): Promise<Trusted> {
  try {
    const client = await deps.store.clients.findById(requestedClientId(params));
    const redirect = resolveRedirect(params, client); // throws unless the client is known and enabled
    return { client: client as ClientRow, redirect };
  } catch (err) {
    if (err instanceof LocalRefusal) throw new PageError(400, refusalTitles[err.about], `${err.message} Go back to the application and try again.`);
    throw err;
  }
}

/** Stage two; its failures go back to the client with error, error_description, state and iss. */
function accepted(ctx: Context, deps: GatewayDeps, params: AuthorizeParams, { client, redirect }: Trusted): AuthorizeRequest | null {
  try {
    return validateAuthorizeRequest(params, client, redirect);
  } catch (err) {
    if (!(err instanceof AuthorizationError)) throw err;
    const to = { redirectUri: redirect.redirectUri, state: requestedState(params), issuer: issuerFor(ctx, deps) };
    ctx.state.log?.info({ client_id: client.clientId, error: err.error }, 'oauth2 authorization refused');
    ctx.state.outcome = 'rejected';
    redirectToClient(ctx, errorResponse(to, responseModeFor(requestedResponseType(params)), err));
    return null;
  }
}

/**
 * A valid request is continued: sign-in (the login page carries the request in a signed ticket,
 * nothing is stored for a browser nobody signed in to), then consent, then the redirect with a code
 * or token. prompt=login notes which sign-in the browser has on arrival: only a newer one counts
 * (the user stays signed in meanwhile).
 */
function authorize(deps: GatewayDeps): Middleware {
  return async function authorize(ctx: Context): Promise<void> {
    const params = await readAuthorizeParams(ctx, deps);
    const request = accepted(ctx, deps, params, await trustedClient(deps, params));
    if (!request) return;
    // A POSTed request goes on as a GET: a page never answers a POST (and the SameSite=Lax session
    // cookie is not sent with a cross-site POST, so the signed-in session is only seen on the GET).
    if (ctx.method === 'POST') return seeOther(ctx, `${AUTHORIZE_PATH}?${asQuery(params)}`);
    const staleSignIn = request.prompt.login ? ((await loadSession(ctx, deps)).user?.signInId ?? null) : undefined;
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
