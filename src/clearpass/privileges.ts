import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { noStore } from '../http/security-headers';
import { BearerError, bearerVerifier } from '../oauth2/bearer';
import { hasApiAccess } from './api-access';
import { noApiAccess } from './problem';

/** GET /api/oauth/privileges: the privileges of the token's user (or client) from its profile. */
export function clearpassPrivileges(deps: GatewayDeps) {
  const verify = bearerVerifier(deps);
  return async function clearpassPrivilegesHandler(ctx: Context): Promise<void> {
    ctx.state.routeName = 'clearpass.privileges';
    const identity = await verify(ctx);
    if (identity === null) throw BearerError.missing(deps.config.oauth2.realm);
    if (!hasApiAccess(identity.privileges)) throw noApiAccess();
    noStore(ctx);
    ctx.body = { privileges: identity.privileges };
  };
}
