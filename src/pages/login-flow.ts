import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { UserRow } from '../storage/types';
import { authenticateWithLockout } from '../accounts/authenticate';
import { LockedOutError } from '../accounts/lockout';
import { clientAddress } from '../http/client-address';
import { retryAfter } from '../http/protocol-error';
import { isSafeContinuePath } from './continue-path';
import { browserCsrfToken } from './csrf';
import { badRequest } from './errors';
import { pageFormOf } from './form';
import { sendPage, seeOther } from './respond';
import { loadSession, login, type BrowserSession } from './session';
import { loginPage, type LoginPageInput } from './templates/login';
import { messagePage } from './templates/message';
import { openTicket, signTicket, ticketKeysOf } from './ticket';

export interface RequireLoginOptions {
  /** Same-origin path (GET) the browser returns to after signing in, usually ctx.originalUrl. */
  continueTo: string;
  /** Shown on the login page: "Sign in to continue to <appName>". */
  appName?: string | null;
  /** CSP form-action extras: the client redirect origin the login may end at (see respond.ts). */
  formTargets?: readonly string[];
  /**
   * prompt=login: the sign-in (SessionUser.signInId) the browser had when the request arrived, which
   * does not count; a newer one does. null: the browser had none, so any sign-in counts.
   */
  staleSignIn?: string | null;
  /** OpenID Connect login_hint: the username the login page starts with (the user may change it). */
  loginHint?: string | null;
}

/** What the login page was shown for; signed, so a form field can't widen the CSP. */
interface LoginContext {
  appName: string | null;
  formTargets: string[];
}
const loginContextPurpose = 'login-context';
/** How long a login page's form stays good (the ticket of its context, the flow behind it). */
export const LOGIN_PAGE_LIFETIME_MS = 30 * 60 * 1000;

type LoginDeps = Pick<GatewayDeps, 'config' | 'store' | 'cache' | 'clock'>;

export const refusedContinue = () => badRequest('The page to continue to after signing in is not on this site.');

interface LoginRender {
  continueTo: string | null;
  context?: LoginContext | null;
  username?: string;
  problem?: LoginPageInput['problem'];
  retryAfterSeconds?: number;
  status?: number;
}

function renderLogin(ctx: Context, deps: LoginDeps, r: LoginRender): void {
  const context = r.context ?? null;
  const page = loginPage({
    csrfToken: browserCsrfToken(ctx, deps),
    continueTo: r.continueTo,
    contextTicket: context ? signTicket(ticketKeysOf(ctx), loginContextPurpose, context, deps.clock() + LOGIN_PAGE_LIFETIME_MS) : null,
    appName: context?.appName,
    username: r.username,
    problem: r.problem,
    retryAfterSeconds: r.retryAfterSeconds,
  });
  const headers = r.retryAfterSeconds ? retryAfter(r.retryAfterSeconds) : {};
  sendPage(ctx, page, { status: r.status ?? 200, formTargets: context?.formTargets, headers });
}

/** Whether the session's sign-in is good enough for this flow. */
function signInCounts(session: BrowserSession, options: RequireLoginOptions): boolean {
  const current = session.user;
  if (!current) return false;
  if (options.staleSignIn !== undefined && current.signInId === options.staleSignIn) return false;
  return true;
}

/**
 * The "user must be signed in" step of a flow. Returns the user when the session has one (still
 * enabled, and not the sign-in prompt=login set aside); otherwise sends the login page and returns
 * null, and the caller returns at once. Showing the login page stores nothing:
 *
 *   const user = await requireLogin(ctx, deps, { continueTo: ctx.originalUrl, appName: client.name });
 *   if (!user) return;
 */
export async function requireLogin(ctx: Context, deps: LoginDeps, options: RequireLoginOptions): Promise<UserRow | null> {
  if (!isSafeContinuePath(options.continueTo)) throw refusedContinue();
  const session = await loadSession(ctx, deps);
  if (session.user) {
    const user = await deps.store.users.findById(session.user.id);
    if (!user || !user.enabled) await session.destroy(); // deleted or disabled since signing in
    else if (signInCounts(session, options)) return user;
  }
  const context: LoginContext = { appName: options.appName ?? null, formTargets: [...(options.formTargets ?? [])] };
  renderLogin(ctx, deps, { continueTo: options.continueTo, context, username: options.loginHint ?? undefined });
  return null;
}

function singleQueryValue(ctx: Context, name: string): string | null {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw badRequest(`The address holds "${name}" more than once.`);
  return value ?? null;
}

/** GET /login: the plain sign-in page; already signed in, straight on to `continue`. */
export async function showLogin(ctx: Context, deps: LoginDeps): Promise<void> {
  const continueTo = singleQueryValue(ctx, 'continue');
  if (continueTo !== null && !isSafeContinuePath(continueTo)) throw refusedContinue();
  const session = await loadSession(ctx, deps);
  if (session.user && continueTo) return seeOther(ctx, continueTo);
  if (session.user) {
    return sendPage(ctx, messagePage({ title: 'You are signed in', message: `Signed in as ${session.user.username}.`, closeHint: false }));
  }
  renderLogin(ctx, deps, { continueTo });
}

/** POST /login, after openPageForm (the browser's CSRF token): lockout, password; success starts the session and 303s to `continue`. */
export async function submitLogin(ctx: Context, deps: LoginDeps & Pick<GatewayDeps, 'hashing' | 'lockout' | 'directory'>): Promise<void> {
  const form = pageFormOf(ctx).fields;
  const continueTo = form.get('continue') || null;
  if (continueTo !== null && !isSafeContinuePath(continueTo)) throw refusedContinue();
  const context = openTicket<LoginContext>(ticketKeysOf(ctx), loginContextPurpose, form.get('login_context'), deps.clock());
  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  const again = (r: Partial<LoginRender>) => renderLogin(ctx, deps, { continueTo, context, username, ...r });

  if (!username || !password) return again({ problem: 'missing-credentials' });
  const address = clientAddress(ctx, deps.config.server.trustedProxies);
  let user;
  try {
    user = await authenticateWithLockout(deps, username, password, address);
  } catch (err) {
    if (!(err instanceof LockedOutError)) throw err;
    return again({ problem: 'locked', retryAfterSeconds: err.retryAfterSeconds, status: 429 });
  }
  if (!user) {
    ctx.state.log?.info('sign-in failed');
    return again({ problem: 'wrong-credentials' });
  }
  await login(ctx, deps, user);
  ctx.state.log?.info({ userId: user.id }, 'user signed in');
  seeOther(ctx, continueTo ?? '/login');
}
