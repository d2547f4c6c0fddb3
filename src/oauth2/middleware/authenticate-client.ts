import type { Context, Middleware, Next } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { clientAddress } from '../../http/client-address';
import { fromEarlierStep } from '../../http/endpoint';
import type { ClientRow } from '../../storage/types';
import { CLIENT_AUTH_METHODS, authenticateClient as checkClient, isPublicClient, parseClientCredentials, type ClientAuthMethod } from '../client-auth';
import { OAuth2Error } from '../errors';
import { readTokenParams, tokenParamsOf } from './read-token-params';

/**
 * Step after readTokenParams: the client's credentials (HTTP Basic or the body, client-auth.ts) into
 * ctx.state.clientCredentials, null when the request names no client. Its own step so an endpoint
 * can check them before any lookup (the device endpoint's caps).
 */
export function readClientCredentials(realm: string): Middleware {
  return async function readClientCredentials(ctx: Context, next: Next): Promise<void> {
    ctx.state.clientCredentials = parseClientCredentials(ctx.get('authorization') || undefined, tokenParamsOf(ctx), realm);
    await next();
  };
}

export function clientCredentialsOf(ctx: Context) {
  return fromEarlierStep(ctx.state.clientCredentials, 'readClientCredentials');
}

export interface ClientAuthOptions {
  /**
   * Refuse public clients (invalid_client): where the answer reveals who holds a token
   * (introspection), a public client's id alone proves nothing.
   */
  confidentialOnly: boolean;
}

/** The client authentication methods an endpoint so configured takes, in RFC 8414's names (its metadata). */
export function clientAuthMethods(options: ClientAuthOptions): ClientAuthMethod[] {
  return CLIENT_AUTH_METHODS.filter((m) => !options.confidentialOnly || m !== 'none');
}

/**
 * Step after readClientCredentials: authenticates the client (client-auth.ts: one invalid_client for
 * every failure, the guess limits, the bounded hashing) into ctx.state.client.
 */
export function authenticateClient(deps: GatewayDeps, options: ClientAuthOptions): Middleware {
  const { realm } = deps.config.oauth2;
  return async function authenticateClient(ctx: Context, next: Next): Promise<void> {
    const client = await checkClient(deps, clientCredentialsOf(ctx), clientAddress(ctx, deps.config.server.trustedProxies));
    if (options.confidentialOnly && isPublicClient(client)) throw OAuth2Error.invalidClient(realm);
    ctx.state.client = client;
    await next();
  };
}

export function clientOf(ctx: Context): ClientRow {
  return fromEarlierStep(ctx.state.client, 'authenticateClient');
}

/**
 * The opening of an endpoint a client calls about its own tokens (introspection, revocation): the
 * form or JSON body, then the client's credentials, then the client authenticated.
 */
export function clientRequest(deps: GatewayDeps, options: ClientAuthOptions): Middleware[] {
  const { config } = deps;
  return [
    readTokenParams({ bodyLimitBytes: config.server.bodyLimitBytes, bodies: deps.bufferedBodies, query: false }),
    readClientCredentials(config.oauth2.realm),
    authenticateClient(deps, options),
  ];
}
