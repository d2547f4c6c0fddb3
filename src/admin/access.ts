import type { GatewayDeps } from '../deps';
import { clientAddress } from '../http/client-address';
import type { Context, Middleware, Next } from '../http/context';
import { ProtocolError } from '../http/protocol-error';
import { BearerError, bearerCredentialCheck } from '../oauth2/bearer';
import { notFromHere } from './problems';

/** The privileges (from the token's profile) that open the admin API: `admin` for everything, `admin_read` for reads. */
export const ADMIN_PRIVILEGE = 'admin';
export const ADMIN_READ_PRIVILEGE = 'admin_read';

export type AdminAccess = 'read' | 'write';

export function mayAccess(privileges: readonly string[], access: AdminAccess): boolean {
  if (privileges.includes(ADMIN_PRIVILEGE)) return true;
  return access === 'read' && privileges.includes(ADMIN_READ_PRIVILEGE);
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1)$/;

/** Unless admin.remote, only a caller on loopback (the original caller behind a trusted proxy) gets in. */
export function loopbackOnly(deps: GatewayDeps): Middleware {
  const { remote } = deps.config.admin;
  const { trustedProxies } = deps.config.server;
  return async function adminLoopbackOnly(ctx: Context, next: Next): Promise<void> {
    if (!remote && !LOOPBACK.test(clientAddress(ctx, trustedProxies))) throw notFromHere();
    await next();
  };
}

/**
 * An OAuth 2.0 bearer token whose profile holds the privilege the operation needs: 401 with the
 * Bearer challenge without one (or with a bad one), 403 with `insufficient_scope` without the privilege.
 */
export function requireAdmin(deps: GatewayDeps, access: AdminAccess): Middleware {
  const verify = bearerCredentialCheck(deps);
  const { realm } = deps.config.oauth2;
  return async function requireAdminToken(ctx: Context, next: Next): Promise<void> {
    const identity = await verify(ctx);
    if (identity === null) throw BearerError.missing(realm);
    if (!mayAccess(identity.privileges, access)) {
      const needed = access === 'read' ? `${ADMIN_PRIVILEGE} or ${ADMIN_READ_PRIVILEGE}` : ADMIN_PRIVILEGE;
      throw new ProtocolError('insufficient_privileges', `This operation needs the ${needed} privilege in the token's profile.`, {
        status: 403,
        challenges: [{ scheme: 'Bearer', realm, withError: true }],
      });
    }
    ctx.state.identity = identity;
    await next();
  };
}
