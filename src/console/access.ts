import type { GatewayDeps } from '../deps';
import type { Context, Middleware, Next } from '../http/context';
import type { UserRow } from '../storage/types';
import { PageError } from '../pages/errors';
import { loadSession, requireLogin } from '../pages';
import type { ConsoleFrame } from './pages';
import { ADMIN_PRIVILEGE, ADMIN_READ_PRIVILEGE } from '../admin/access';

// Who may use the operators' console: a user whose profile holds `admin` (sees and changes) or
// `admin_read` (sees only): the privileges the admin API takes in bearer tokens.

export type OperatorRole = 'admin' | 'read' | null;

/** The role a profile's privileges give; pure. */
export function operatorRole(privileges: readonly string[]): OperatorRole {
  if (privileges.includes(ADMIN_PRIVILEGE)) return 'admin';
  if (privileges.includes(ADMIN_READ_PRIVILEGE)) return 'read';
  return null;
}

export async function roleOf(deps: Pick<GatewayDeps, 'store'>, user: UserRow): Promise<OperatorRole> {
  if (!user.profileId) return null;
  const profile = await deps.store.profiles.findById(user.profileId);
  return profile ? operatorRole(profile.privileges) : null;
}

export const notAnOperator = () =>
  new PageError(403, 'Operators only', 'This account may not use the operators\u2019 console. Sign in with an operator account.');

export const readOnlyOperator = () =>
  new PageError(403, 'Read-only access', 'Your profile lets you see the console but not change anything.');

/**
 * For a change (after openPageForm has checked the CSRF token): the session's user, read again
 * from the store, must be enabled and hold `admin` itself. Returns that user (the audit's actor).
 */
export async function adminUser(ctx: Context, deps: Pick<GatewayDeps, 'store'> & Parameters<typeof loadSession>[1]): Promise<UserRow> {
  const session = await loadSession(ctx, deps);
  const user = session.user ? await deps.store.users.findById(session.user.id) : null;
  const role = user && user.enabled ? await roleOf(deps, user) : null;
  if (!user || role === null) throw notAnOperator();
  if (role !== 'admin') {
    ctx.state.log?.info({ userId: user.id }, 'console change refused: read-only operator');
    throw readOnlyOperator();
  }
  return user;
}

/** The signed-in operator of a console page (sends the login page and returns null when nobody is signed in). */
export async function operator(ctx: Context, deps: GatewayDeps): Promise<ConsoleFrame | null> {
  const user = await requireLogin(ctx, deps, { continueTo: ctx.originalUrl });
  if (!user) return null;
  const role = await roleOf(deps, user);
  if (!role) {
    ctx.state.log?.info({ userId: user.id }, 'console refused: not an operator');
    throw notAnOperator();
  }
  return { username: user.username, role };
}

/** For POSTs, after openPageForm: the session's user must hold `admin` itself. */
export function requireAdmin(deps: GatewayDeps): Middleware {
  return async function requireAdmin(ctx: Context, next: Next): Promise<void> {
    await adminUser(ctx, deps);
    await next();
  };
}
