import type { Context } from 'koa';
import type { GatewayDeps } from '../deps';
import type { User } from '../storage/entities';
import { authenticateWithLockout } from '../accounts/authenticate';
import { LockedOutError } from '../accounts/lockout';
import { clientAddress } from '../http/client-address';
import { isSafeContinuePath } from './continue-path';
import { csrfFieldName, verifyCsrf } from './csrf';
import { badRequest } from './errors';
import { flowState } from './flow-state';
import { readPageForm } from './form';
import { sendPage, seeOther } from './respond';
import { loadSession, login, type BrowserSession } from './session';
import { loginPage, type LoginPageInput } from './templates/login';
import { messagePage } from './templates/message';

export interface RequireLoginOptions {
  /** Same-origin path (GET) the browser returns to after signing in, usually ctx.originalUrl. */
  continueTo: string;
  /** Shown on the login page: "Sign in to continue to <appName>". */
  appName?: string | null;
  /** CSP form-action extras: the client redirect origin the login may end at (see respond.ts). */
  formTargets?: readonly string[];
  /**
   * prompt=login / max_age: a sign-in before this time (epoch ms) does not count. Pass the time the
   * flow started (kept in its flow state), not "now", or the user could never get past the page.
   */
  authenticatedSince?: number;
}

/** What the login page was shown for, kept server side so a form field can't widen the CSP. */
interface LoginContext {
  appName: string | null;
  formTargets: string[];
}
const loginContexts = flowState<LoginContext>('login');

type LoginDeps = Pick<GatewayDeps, 'config' | 'store' | 'cache' | 'clock'>;

export const refusedContinue = () => badRequest('The page to continue to after signing in is not on this site.');

interface LoginRender {
  continueTo: string | null;
  contextId?: string | null;
  context?: LoginContext | null;
  username?: string;
  problem?: LoginPageInput['problem'];
  retryAfterSeconds?: number;
  status?: number;
}

async function renderLogin(ctx: Context, session: BrowserSession, r: LoginRender): Promise<void> {
  const page = loginPage({
    csrfToken: await session.csrfToken(),
    continueTo: r.continueTo,
    contextId: r.context ? r.contextId : null,
    appName: r.context?.appName,
    username: r.username,
    problem: r.problem,
    retryAfterSeconds: r.retryAfterSeconds,
  });
  const headers: Record<string, string> = r.retryAfterSeconds ? { 'Retry-After': String(r.retryAfterSeconds) } : {};
  sendPage(ctx, page, { status: r.status ?? 200, formTargets: r.context?.formTargets, headers });
}

/**
 * The "user must be signed in" step of a flow. Returns the user when the session has one (still
 * enabled, signed in recently enough); otherwise sends the login page and returns null, and the
 * caller returns at once:
 *
 *   const user = await requireLogin(ctx, deps, { continueTo: ctx.originalUrl, appName: client.name });
 *   if (!user) return;
 */
export async function requireLogin(ctx: Context, deps: LoginDeps, options: RequireLoginOptions): Promise<User | null> {
  if (!isSafeContinuePath(options.continueTo)) throw refusedContinue();
  const session = await loadSession(ctx, deps);
  const current = session.user;
  if (current && (options.authenticatedSince === undefined || current.authTime >= options.authenticatedSince)) {
    const user = await deps.store.users.findById(current.id);
    if (user && user.enabled) return user;
    await session.dropUser(); // deleted or disabled since signing in
  }
  const context: LoginContext = { appName: options.appName ?? null, formTargets: [...(options.formTargets ?? [])] };
  const contextId = await loginContexts.stash(session, context);
  await renderLogin(ctx, session, { continueTo: options.continueTo, context, contextId });
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
  await renderLogin(ctx, session, { continueTo });
}

/** POST /login: CSRF, lockout, password; success rotates the session and 303s to `continue`. */
export async function submitLogin(ctx: Context, deps: LoginDeps & Pick<GatewayDeps, 'hashing'>): Promise<void> {
  const form = await readPageForm(ctx, deps);
  const session = await loadSession(ctx, deps);
  verifyCsrf(ctx, session, form.get(csrfFieldName));
  const continueTo = form.get('continue') || null;
  if (continueTo !== null && !isSafeContinuePath(continueTo)) throw refusedContinue();
  const contextId = form.get('login_context') ?? null;
  const context = loginContexts.peek(session, contextId);
  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  const again = (r: Partial<LoginRender>) => renderLogin(ctx, session, { continueTo, context, contextId, username, ...r });

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
  await loginContexts.drop(session, contextId);
  await login(ctx, deps, user);
  ctx.state.log?.info({ userId: user.id }, 'user signed in');
  seeOther(ctx, continueTo ?? '/login');
}
