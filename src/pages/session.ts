import type { Context } from 'koa';
import type { GatewayDeps } from '../deps';
import { randomToken, tokenDigest } from '../crypto';
import { signInHolds } from '../accounts/sign-in';

// Browser sessions for the gateway's own pages (login, consent, device). The cookie holds only a
// random id; everything else lives in the cache under the id's SHA-256, so a cache dump can't be
// replayed as cookies.

export const sessionCookieName = 'gw_session';
/** Idle lifetime of a signed-in session: every use slides it forward. */
export const sessionIdleSeconds = 8 * 60 * 60;
/**
 * Idle lifetime before signing in (a CSRF token, a pending flow): anyone can create one by loading
 * the login page, so they must not pile up in the cache for hours.
 */
export const anonymousIdleSeconds = 30 * 60;
/** Absolute lifetime, from the session's creation (a login creates a new one). */
export const sessionMaxSeconds = 24 * 60 * 60;
// Sliding the idle expiry costs a cache write, so it is refreshed at most this often.
const touchIntervalMs = 5 * 60 * 1000;
const sessionIdShape = /^[A-Za-z0-9_-]{43}$/;

export interface SessionUser {
  id: string;
  username: string;
  /** When the user typed the password (epoch ms): flows compare it for prompt=login / max_age. */
  authTime: number;
  /** The user's credential version then: a password change or disable since ends the sign-in. */
  credentialVersion?: number;
}

interface SessionRecord {
  v: 1;
  createdAt: number;
  touchedAt: number;
  user: SessionUser | null;
  csrf: string | null;
  /** Flow state; survives login (the flow that sent the user to log in continues after it). */
  values: Record<string, unknown>;
}

type SessionDeps = Pick<GatewayDeps, 'cache' | 'clock' | 'config' | 'store'>;

const cacheKey = (id: string) => `session:${tokenDigest(id)}`;
const fresh = (now: number): SessionRecord => ({ v: 1, createdAt: now, touchedAt: now, user: null, csrf: null, values: {} });

function parseRecord(text: string | null): SessionRecord | null {
  if (!text) return null;
  try {
    const record = JSON.parse(text) as SessionRecord;
    return record && record.v === 1 && typeof record.values === 'object' ? record : null;
  } catch {
    return null;
  }
}

function cookieOptions(deps: SessionDeps) {
  const secure = (deps.config.server.publicUrl ?? '').startsWith('https:');
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure, signed: true, overwrite: true };
}

function writeCookie(ctx: Context, deps: SessionDeps, id: string | null): void {
  const options = cookieOptions(deps);
  // TLS usually ends at a proxy in front of us: the browser's connection is https even though ours
  // is not, and the cookies module would otherwise refuse to set a Secure cookie.
  if (options.secure) ctx.cookies.secure = true;
  ctx.cookies.set(sessionCookieName, id, options);
}

/** One browser session. Mutating methods persist at once (there is no end-of-request hook to forget). */
export class BrowserSession {
  /** @internal use loadSession */
  constructor(
    private readonly ctx: Context,
    private readonly deps: SessionDeps,
    private id: string | null,
    private record: SessionRecord,
  ) {}

  get user(): SessionUser | null {
    return this.record.user;
  }
  get userId(): string | null {
    return this.record.user?.id ?? null;
  }
  /** True until something was stored: no cookie has been sent yet. */
  get isNew(): boolean {
    return this.id === null;
  }

  get<T>(key: string): T | undefined {
    return this.record.values[key] as T | undefined;
  }
  /** Stores a JSON-serialisable value. */
  async set(key: string, value: unknown): Promise<void> {
    this.record.values[key] = value;
    await this.save();
  }
  async unset(key: string): Promise<void> {
    if (!(key in this.record.values)) return;
    delete this.record.values[key];
    await this.save();
  }
  /** Every key, so flow-state helpers can find and bound their entries. */
  keys(): string[] {
    return Object.keys(this.record.values);
  }

  /** The session's CSRF token, created (and the session with it) on first use. */
  async csrfToken(): Promise<string> {
    if (!this.record.csrf) {
      this.record.csrf = randomToken();
      await this.save();
    }
    return this.record.csrf;
  }
  /** @internal the stored token, without creating one (csrf.ts compares against it). */
  storedCsrfToken(): string | null {
    return this.record.csrf;
  }

  /** The injected clock, for helpers that keep timed state in the session. */
  now(): number {
    return this.deps.clock();
  }

  /** @internal */
  async save(): Promise<void> {
    const now = this.deps.clock();
    if (this.id === null) {
      this.id = randomToken();
      writeCookie(this.ctx, this.deps, this.id);
    }
    this.record.touchedAt = now;
    const idle = this.record.user ? sessionIdleSeconds : anonymousIdleSeconds;
    const left = sessionMaxSeconds - (now - this.record.createdAt) / 1000;
    await this.deps.cache.set(cacheKey(this.id), JSON.stringify(this.record), Math.max(1, Math.min(idle, left)));
  }

  /** @internal a new id and CSRF token for the same flow state; the old id stops working. */
  async rotate(user: SessionUser | null): Promise<void> {
    if (this.id !== null) await this.deps.cache.delete(cacheKey(this.id));
    this.id = null;
    this.record = { ...fresh(this.deps.clock()), user, values: this.record.values };
    await this.save();
  }

  /** @internal forget everything, server side and in the browser. */
  async destroy(): Promise<void> {
    if (this.id !== null) {
      await this.deps.cache.delete(cacheKey(this.id));
      writeCookie(this.ctx, this.deps, null);
    }
    this.id = null;
    this.record = fresh(this.deps.clock());
  }

  /** @internal */
  async dropUser(): Promise<void> {
    if (!this.record.user) return;
    this.record.user = null;
    await this.save();
  }
}

const stateKey = 'pageSession';

/**
 * The request's browser session (loaded once per request). Without a valid cookie it is a new,
 * empty session that is stored only when something is put in it. An id the browser sends but we
 * don't know is never adopted: a new one is drawn (no session fixation through a planted cookie).
 */
export async function loadSession(ctx: Context, deps: SessionDeps): Promise<BrowserSession> {
  const loaded = ctx.state[stateKey] as BrowserSession | undefined;
  if (loaded) return loaded;
  const now = deps.clock();
  const cookie = ctx.cookies.get(sessionCookieName, { signed: true });
  const id = cookie && sessionIdShape.test(cookie) ? cookie : null;
  let record = id ? parseRecord(await deps.cache.get(cacheKey(id))) : null;
  if (record && now - record.createdAt >= sessionMaxSeconds * 1000) {
    await deps.cache.delete(cacheKey(id as string));
    record = null;
  }
  const session = record ? new BrowserSession(ctx, deps, id, record) : new BrowserSession(ctx, deps, null, fresh(now));
  if (record && now - record.touchedAt >= touchIntervalMs) await session.save();
  if (session.user && !(await signInHolds(deps.store.users, session.user))) await session.dropUser();
  ctx.state[stateKey] = session;
  return session;
}

/** Signs the user in: a new session id (session fixation), a new CSRF token, flow state kept. */
export async function login(ctx: Context, deps: SessionDeps, user: { id: string; username: string; credentialVersion?: number }): Promise<BrowserSession> {
  const session = await loadSession(ctx, deps);
  await session.rotate({ id: user.id, username: user.username, authTime: deps.clock(), credentialVersion: user.credentialVersion ?? 0 });
  return session;
}

/** Signs out: the session is deleted and the cookie cleared. */
export async function logout(ctx: Context, deps: SessionDeps): Promise<void> {
  await (await loadSession(ctx, deps)).destroy();
}

/** prompt=login: forget who is signed in (flow state stays) so the next requireLogin asks again. */
export async function forceLogin(ctx: Context, deps: SessionDeps): Promise<void> {
  await (await loadSession(ctx, deps)).dropUser();
}
