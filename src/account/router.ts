import Router from '@koa/router';
import type { Context, RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { mountEndpoint, type Endpoint } from '../http/endpoint';
import { answersIn } from '../http/error-format';
import { routeName } from '../http/middleware/route-name';
import { clientAddress } from '../http/client-address';
import { retryAfter } from '../http/protocol-error';
import { authenticateWithLockout } from '../accounts/authenticate';
import { LockedOutError } from '../accounts/lockout';
import { setUserPassword } from '../accounts/admin';
import { revokeUserGrants } from '../accounts/user-grants';
import { InvalidInputError } from '../accounts/validation';
import { badRequest, loadSession, login, openPageForm, pageFormOf, PageError, requireLogin, seeOther, sendPage } from '../pages';
import type { UserRow } from '../storage/types';
import { roleOf } from '../console/access';
import { allowedApps } from './apps';
import { endOtherSessions } from './other-sessions';
import { accountNotices, accountPage, type AccountNotice, type AccountPageInput } from './page';

// /account: what a signed-in user sees of their own account: the applications they allowed (and a
// revoke for each), their other sessions, their password. Every POST carries the session's CSRF
// token (openPageForm) and answers 303 back to GET /account with a fixed notice.

type AccountDeps = GatewayDeps;

async function signedInUser(ctx: Context, deps: AccountDeps): Promise<UserRow> {
  const session = await loadSession(ctx, deps);
  const user = session.user ? await deps.store.users.findById(session.user.id) : null;
  // openPageForm checked the session's token, so a session exists; its user may be gone since.
  if (!user || !user.enabled) throw new PageError(403, 'You are signed out', 'Sign in again and retry.');
  return user;
}

function noticeOf(ctx: Context): AccountNotice | null {
  const done = ctx.query.done;
  return typeof done === 'string' && Object.hasOwn(accountNotices, done) ? (done as AccountNotice) : null;
}

async function render(ctx: Context, deps: AccountDeps, user: UserRow, extra: Partial<AccountPageInput> = {}, status = 200): Promise<void> {
  const session = await loadSession(ctx, deps);
  const input: AccountPageInput = {
    username: user.username,
    source: user.source,
    operator: (await roleOf(deps, user)) !== null,
    apps: await allowedApps(deps.store, user.id, deps.clock()),
    csrfToken: await session.csrfToken(),
    words: ctx.state.pageChrome?.words,
    ...extra,
  };
  sendPage(ctx, accountPage(input), { status, headers: extra.passwordProblem?.kind === 'locked' ? retryAfter(60) : {} });
}

async function showAccount(ctx: Context, deps: AccountDeps): Promise<void> {
  const user = await requireLogin(ctx, deps, { continueTo: '/account' });
  if (!user) return;
  await render(ctx, deps, user, { notice: noticeOf(ctx) });
}

async function revokeApp(ctx: Context, deps: AccountDeps): Promise<void> {
  const user = await signedInUser(ctx, deps);
  const form = pageFormOf(ctx).fields;
  const protocol = form.get('protocol');
  const party = form.get('party');
  if ((protocol !== 'oauth1' && protocol !== 'oauth2') || !party) throw badRequest('The form does not name an application. Go back and try again.');
  try {
    await revokeUserGrants(deps, user.username, protocol === 'oauth2' ? { client: party } : { consumer: party });
  } catch (err) {
    if (err instanceof InvalidInputError) throw badRequest('That application is not registered here.');
    throw err;
  }
  // This node reads the revocation log now rather than within the second: the next request with a
  // revoked token, wherever the user tries it, is refused.
  await deps.revocations.feed.catchUp();
  await deps.revocations.feed.catchUp();
  ctx.state.log?.info({ userId: user.id, protocol, party }, 'user revoked an application');
  seeOther(ctx, '/account?done=revoked');
}

async function endOthers(ctx: Context, deps: AccountDeps): Promise<void> {
  const session = await loadSession(ctx, deps);
  const user = await signedInUser(ctx, deps);
  await endOtherSessions(deps.cache, session.user!, deps.clock());
  ctx.state.log?.info({ userId: user.id }, 'user ended their other sessions');
  seeOther(ctx, '/account?done=sessions-ended');
}

async function changePassword(ctx: Context, deps: AccountDeps): Promise<void> {
  const user = await signedInUser(ctx, deps);
  if (user.source !== 'local') throw badRequest('Your password belongs to your organisation\u2019s directory: change it there.');
  const form = pageFormOf(ctx).fields;
  const current = form.get('current_password') ?? '';
  const next = form.get('new_password') ?? '';
  const again = (kind: 'wrong-current' | 'mismatch' | 'invalid' | 'locked', text: string, status: number) =>
    render(ctx, deps, user, { passwordProblem: { kind, text } }, status);
  if (next !== (form.get('confirm_password') ?? '')) return again('mismatch', 'The two new passwords differ.', 400);
  let checked: UserRow | null;
  try {
    // The same guess counting as the sign-in form: this form must not become a way round it.
    checked = current === '' ? null : await authenticateWithLockout(deps, user.username, current, clientAddress(ctx, deps.config.server.trustedProxies));
  } catch (err) {
    if (!(err instanceof LockedOutError)) throw err;
    return again('locked', 'Too many wrong passwords. Try again later.', 429);
  }
  if (!checked || checked.id !== user.id) return again('wrong-current', 'The current password is wrong.', 400);
  try {
    await setUserPassword(deps, user.username, next);
  } catch (err) {
    if (err instanceof InvalidInputError) return again('invalid', 'The new password must be 8 to 1024 characters.', 400);
    throw err;
  }
  await deps.revocations.feed.catchUp();
  // The change ended every sign-in of the user, this one too: this browser signs in again with the new password.
  const fresh = await deps.store.users.findById(user.id);
  if (fresh) await login(ctx, deps, fresh);
  ctx.state.log?.info({ userId: user.id }, 'user changed their password');
  seeOther(ctx, '/account?done=password-changed');
}

function post(path: string, name: string, deps: AccountDeps, handler: (ctx: Context, deps: AccountDeps) => Promise<void>): Endpoint {
  return {
    paths: [path],
    common: [routeName(name), answersIn('page')],
    methods: { POST: [openPageForm(deps, { csrf: 'session' }), (ctx) => handler(ctx, deps)] },
  };
}

export function accountRouter(deps: AccountDeps): Router {
  const router = new Router<RequestState>();
  const endpoints: Endpoint[] = [
    { paths: ['/account'], common: [routeName('account.page'), answersIn('page')], methods: { GET: [(ctx) => showAccount(ctx, deps)] } },
    post('/account/revoke', 'account.revoke', deps, revokeApp),
    post('/account/sessions/end-others', 'account.end_other_sessions', deps, endOthers),
    post('/account/password', 'account.password', deps, changePassword),
  ];
  for (const endpoint of endpoints) mountEndpoint(router, endpoint);
  return router;
}
