import type Router from '@koa/router';
import type { GatewayDeps } from '../deps';
import { introspectionRouter } from './introspect-endpoint';
import { metadataRouter } from './metadata';
import { startRevocationListener } from './revocation';
import { revocationRouter } from './revoke-endpoint';
import { tokenRouter } from './token-endpoint';
import { whoamiRouter } from './whoami';

/**
 * The OAuth 2.0 token side: token, introspection, revocation, metadata and whoami. Building them
 * also subscribes this instance to token revocations from other nodes (in the background; the
 * bearer verifier retries if it failed).
 */
export function oauth2Routers(deps: GatewayDeps): Router[] {
  void startRevocationListener(deps);
  return [tokenRouter(deps), introspectionRouter(deps), revocationRouter(deps), metadataRouter(deps), whoamiRouter(deps)];
}

export { bearerVerifier, requireBearer, BearerError } from './bearer';
export { OAuth2Error } from './errors';
export { exchangeToken } from './exchange';
export { startRevocationListener, announceRevocation } from './revocation';
export { grantFor, supportedGrantTypes } from './grants';
