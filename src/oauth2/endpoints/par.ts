import type { Context, Middleware, Next } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { clientAddress } from '../../http/client-address';
import { answersIn } from '../../http/error-format';
import { retryAfter } from '../../http/protocol-error';
import { noStore } from '../../http/middleware/no-store';
import { routeName } from '../../http/middleware/route-name';
import { MAX_PARAMETERS, MAX_REQUEST_BYTES, exceedsCap, oversizedDescription, parameterCap } from '../../http/parameter-limits';
import { AuthorizationError, LocalRefusal } from '../authorize/errors';
import { resolveRedirect, validateAuthorizeRequest } from '../authorize/request';
import { isPublicClient } from '../client-auth';
import { OAuth2Error, type OAuth2ErrorCode } from '../errors';
import { authenticateClient, clientCredentialsOf, clientOf, readClientCredentials } from '../middleware/authenticate-client';
import { readTokenParams, tokenParamsOf } from '../middleware/read-token-params';
import { pushRequest } from '../par/pushed-requests';
import type { OAuth2Endpoint } from './types';

export const PAR_PATH = '/oauth2/par';

/** Client authentication, not part of the authorization request: never stored with it. */
const CREDENTIAL_PARAMETERS = new Set(['client_id', 'client_secret', 'client_assertion', 'client_assertion_type']);

/** The authorization endpoint's caps, before the client is looked up. */
async function refuseOversized(ctx: Context, next: Next): Promise<void> {
  const clientId = clientCredentialsOf(ctx)?.clientId;
  if (clientId !== undefined && exceedsCap('client_id', clientId)) {
    throw new OAuth2Error('invalid_request', oversizedDescription({ name: 'client_id', inName: false, cap: parameterCap('client_id') }));
  }
  if (tokenParamsOf(ctx).entries().length > MAX_PARAMETERS) throw new OAuth2Error('invalid_request', `The request holds more than ${MAX_PARAMETERS} parameters.`);
  await next();
}

/** The authorization endpoint's refusal, as the token endpoint's JSON error (section 2.3). */
function asOAuth2Error(err: AuthorizationError): OAuth2Error {
  const codes: Partial<Record<AuthorizationError['error'], OAuth2ErrorCode>> = {
    unauthorized_client: 'unauthorized_client',
    unsupported_response_type: 'unsupported_response_type',
    invalid_scope: 'invalid_scope',
  };
  return new OAuth2Error(codes[err.error] ?? 'invalid_request', err.description);
}

/**
 * Checks the request exactly as /oauth2/authorize would (the same two stages), so a bad request is
 * refused now, to the client, rather than later in the user's browser. The authenticated client is
 * the request's client; client credentials are dropped.
 */
export function pushedParams(client: Parameters<typeof resolveRedirect>[1] & { clientId: string }, sent: Array<[string, string]>): Array<[string, string]> {
  if (sent.some(([name]) => name === 'request_uri')) throw new OAuth2Error('invalid_request', 'A pushed authorization request must not contain request_uri.');
  const params: Array<[string, string]> = [['client_id', client.clientId], ...sent.filter(([name]) => !CREDENTIAL_PARAMETERS.has(name))];
  try {
    validateAuthorizeRequest(params, client, resolveRedirect(params, client));
  } catch (err) {
    if (err instanceof LocalRefusal) throw new OAuth2Error('invalid_request', err.message);
    if (err instanceof AuthorizationError) throw asOAuth2Error(err);
    throw err;
  }
  return params;
}

/** Pushes a public client may make from one address per window: far more than a person's sign-ins. */
export const PUBLIC_PUSHES_PER_ADDRESS = 30;
const PUBLIC_PUSH_WINDOW_SECONDS = 60;

/**
 * A public client's id is no secret, so anyone can push in its name: each push is kept in the shared
 * cache (where the browser sessions are), so such pushes are counted per address and refused past
 * the limit (429, invalid_request with Retry-After). A confidential client has proved its secret;
 * its backend pushes for all its users from a few addresses, so it is not counted.
 */
function limitPublicPushes(deps: GatewayDeps): Middleware {
  return async function limitPublicPushes(ctx: Context, next: Next): Promise<void> {
    if (isPublicClient(clientOf(ctx))) {
      const address = clientAddress(ctx, deps.config.server.trustedProxies);
      const wait = await deps.cache.countAttempt([{ key: `par-push:addr:${address}`, limit: PUBLIC_PUSHES_PER_ADDRESS }], PUBLIC_PUSH_WINDOW_SECONDS);
      if (wait !== null) throw new OAuth2Error('invalid_request', 'Too many pushed authorization requests from this address; try again later.', { status: 429, headers: retryAfter(wait) });
    }
    await next();
  };
}

function push(deps: GatewayDeps): Middleware {
  return async function push(ctx: Context): Promise<void> {
    const client = clientOf(ctx);
    const params = pushedParams(client, tokenParamsOf(ctx).entries());
    const pushed = await pushRequest(deps.cache, deps.clock(), client.clientId, params);
    ctx.status = 201;
    ctx.body = { request_uri: pushed.requestUri, expires_in: pushed.expiresIn };
    ctx.state.outcome = 'ok';
    ctx.state.log?.info({ clientId: client.clientId }, 'oauth2 authorization request pushed');
  };
}

/**
 * POST /oauth2/par (RFC 9126): the client sends its authorization request here, authenticated as at
 * the token endpoint (a public client by its id, with PKCE as authorize wants), and gets a
 * request_uri to send the browser to /oauth2/authorize with. Body size and parameter caps are the
 * authorization endpoint's.
 */
export function pushedAuthorizationRequestEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  const { config } = deps;
  return {
    paths: [PAR_PATH],
    common: [routeName('oauth2.par'), answersIn('oauth2')],
    methods: {
      POST: [
        readTokenParams({ bodyLimitBytes: Math.min(MAX_REQUEST_BYTES, config.server.bodyLimitBytes), bodies: deps.bufferedBodies, query: false }),
        readClientCredentials(config.oauth2.realm),
        refuseOversized,
        authenticateClient(deps, { confidentialOnly: false }),
        limitPublicPushes(deps),
        noStore,
        push(deps),
      ],
    },
    // Clients may still use /oauth2/authorize directly unless registered with --require-par.
    announces: { as: 'pushed_authorization_request_endpoint', flags: { require_pushed_authorization_requests: false } },
  };
}
