import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { sendPage, seeOther } from './respond';
import { loadSession, logout } from './session';
import { logoutPage, messagePage } from './templates/message';

type LogoutDeps = Pick<GatewayDeps, 'config' | 'cache' | 'clock' | 'store'>;

/** GET /logout: a confirmation form while signed in, the "signed out" page otherwise. */
export async function showLogout(ctx: Context, deps: LogoutDeps): Promise<void> {
  const session = await loadSession(ctx, deps);
  if (session.user) {
    return sendPage(ctx, logoutPage({ csrfToken: await session.csrfToken(), username: session.user.username }));
  }
  sendPage(ctx, messagePage({ title: 'You are signed out', message: 'Your session on this site has ended.' }));
}

/** POST /logout, after openPageForm (the session's CSRF token): ends the session, then 303 to GET /logout (now the signed-out page). */
export async function submitLogout(ctx: Context, deps: LogoutDeps): Promise<void> {
  const userId = (await loadSession(ctx, deps)).userId;
  await logout(ctx, deps);
  ctx.state.log?.info({ userId }, 'user signed out');
  seeOther(ctx, '/logout');
}
