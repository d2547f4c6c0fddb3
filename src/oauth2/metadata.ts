import Router from '@koa/router';
import type { RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { answersIn } from '../http/error-format';
import { issuerFor } from './authorize/issuer';
import { INTROSPECTION_PATH } from './introspect-endpoint';
import { REVOCATION_PATH } from './revoke-endpoint';
import { TOKEN_PATH } from './token-endpoint';

export const METADATA_PATH = '/.well-known/oauth-authorization-server';

// Endpoints served by the authorization side of the gateway (the authorize and device endpoints
// arrive with the browser flows; they are announced here as the gateway's contract).
export const AUTHORIZATION_PATH = '/oauth2/authorize';
export const DEVICE_AUTHORIZATION_PATH = '/oauth2/device_authorization';

const clientAuthMethods = ['client_secret_basic', 'client_secret_post', 'none'];

/** RFC 8414 section 2 metadata for an issuer. scopes_supported is left out when no client has scopes. */
export function authorizationServerMetadata(issuer: string, scopes: readonly string[]): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    issuer,
    authorization_endpoint: issuer + AUTHORIZATION_PATH,
    token_endpoint: issuer + TOKEN_PATH,
    device_authorization_endpoint: issuer + DEVICE_AUTHORIZATION_PATH,
    introspection_endpoint: issuer + INTROSPECTION_PATH,
    revocation_endpoint: issuer + REVOCATION_PATH,
    response_types_supported: ['code', 'token'],
    response_modes_supported: ['query', 'fragment'],
    grant_types_supported: [
      'authorization_code',
      'implicit',
      'password',
      'client_credentials',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ],
    token_endpoint_auth_methods_supported: clientAuthMethods,
    // Introspection reveals who holds a token, so only confidential clients may call it.
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: clientAuthMethods,
    code_challenge_methods_supported: ['S256', 'plain'],
  };
  if (scopes.length > 0) metadata.scopes_supported = [...scopes];
  return metadata;
}

/** GET /.well-known/oauth-authorization-server. The issuer is the gateway's public base (issuer.ts). */
export function metadataRouter(deps: GatewayDeps): Router {
  const router = new Router<RequestState>();
  router.get(METADATA_PATH, answersIn('oauth2'), async (ctx) => {
    ctx.state.routeName = 'oauth2.metadata';
    const issuer = issuerFor(ctx, deps);
    const clients = await deps.store.clients.list();
    const scopes = [...new Set(clients.filter((c) => c.enabled).flatMap((c) => c.scopes))].sort();
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = authorizationServerMetadata(issuer, scopes);
  });
  return router;
}
