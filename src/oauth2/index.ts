import type Router from '@koa/router';
import type { GatewayDeps } from '../deps';
import { introspectionRouter } from './introspect-endpoint';
import { metadataRouter } from './metadata';
import { revocationRouter } from './revoke-endpoint';
import { tokenRouter } from './token-endpoint';
import { whoamiRouter } from './whoami';

/** The OAuth 2.0 token side: token, introspection, revocation, metadata and whoami. */
export function oauth2Routers(deps: GatewayDeps): Router[] {
  return [tokenRouter(deps), introspectionRouter(deps), revocationRouter(deps), metadataRouter(deps), whoamiRouter(deps)];
}

export { bearerVerifier, requireBearer, BearerError } from './bearer';
export { OAuth2Error } from './errors';
export { tokenExchange, type ExchangeToken, type TokenExchange } from './exchange';
export { GRANT_TYPES, GrantRegistry, supportedGrantTypes } from './grants';
