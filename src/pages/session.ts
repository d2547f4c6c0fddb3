import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { randomToken, tokenDigest } from '../crypto';
import { setPageCookie, readPageCookie } from './cookies';
import { signInHolds } from '../accounts/sign-in';
import { endedElsewhere } from '../account/other-sessions';
import { freeSlot, indexSession } from './session-index';

// Browser sessions for the gateway's own pages (consent, sign-out). The cookie holds only a random
// id; everything else lives in the cache under the id's SHA-256, so a cache dump can't be replayed
// as cookies. A session exists only for a signed-in user: it is created by a successful sign-in and
// by nothing else, so a caller without an account can't make the gateway keep anything (what a
// page needs before sign-in travels in signed tickets and the gw_csrf cookie instead).

export const sessionCookieName = 'gw_session';
/** Idle lifetime of a session: every use slides it forward. */
export const sessionIdleSeconds = 8 * 60 * 60;
/** Absolute lifetime, from the session's creation (a login creates a new one). */
export const sessionMaxSeconds = 24 * 60 * 60;
// Sliding the idle expiry costs a cache write, so it is refreshed at most this often.
const touchIntervalMs = 5 * 60 * 1000;
const sessionIdShape = /^[A-Za-z0-9_-]{43}$/;

export interface SessionUser {
  id: string;
  username: string;
  /** When the user typed the password (epoch ms): flows compare it for max_age. */
  authTime: number;
  /**
   * Names this sign-in (a new one at every sign-in), so prompt=login can ask for a sign-in newer
   * than the one the browser had when the request arrived, whatever the clock says.
   */
  signInId: string;
  /** The user's credential version then: a password change or disable since ends the sign-in. */
  credentialVersion?: number;
}

export interface SessionRecord {
  v: 1;
  createdAt: number;
  touchedAt: number;
  user: SessionUser;
  csrf: string;
  /** Flow state of the signed-in user (consent pages waiting for a decision). */
  values: Record<string, unknown>;
  /** Its slot in the user's session index (session-index.ts), freed when it ends; absent when not indexed. */
  slot?: number;
}

export type SessionDeps = Pick<GatewayDeps, 'cache' | 'clock' | 'config' | 'store'>;

/** The cache key of the session whose id has this digest. */
export const keyOfDigest = (digest: string) => `session:${digest}`;
const cacheKey = (id: string) => keyOfDigest(tokenDigest(id));

/** A stored session record, or null for anything else (also read by user-sessions.ts). */
export function parseRecord(text: string | null): SessionRecord | null {
  if (!text) return null;
  try {
    const record = JSON.parse(text) as SessionRecord;
    // Records without a user or sign-in id were written by an older version for anonymous browsers.
    const valid = record && record.v === 1 && typeof record.values === 'object' && typeof record.user?.signInId === 'string' && typeof record.csrf === 'string';
    return valid ? record : null;
  } catch {
    return null;
  }
}

/** Thrown when code tries to keep state for a browser nobody signed in to: a bug, never a user error. */
export class AnonymousStateError extends Error {
  constructor() {
    super('a browser session is created only by signing in: pages shown before sign-in must not store anything');
    this.name = 'AnonymousStateError';
  }
}

/** One browser session. Mutating methods persist at once (there is no end-of-request hook to forget). */
export class BrowserSession {
  /** @internal use loadSession */
  constructor(
    private readonly ctx: Context,
    private readonly deps: SessionDeps,
    private id: string | null,
    private record: SessionRecord | null,
  ) {}

  get user(): SessionUser | null {
    return this.record?.user ?? null;
  }
  get userId(): string | null {
    return this.record?.user.id ?? null;
  }

  private stored(): SessionRecord {
    if (!this.record) throw new AnonymousStateError();
    return this.record;
  }

  get<T>(key: string): T | undefined {
    return this.record?.values[key] as T | undefined;
  }
  /** Stores a JSON-serialisable value; only in a signed-in session (AnonymousStateError otherwise). */
  async set(key: string, value: unknown): Promise<void> {
    this.stored().values[key] = value;
    await this.save();
  }
  async unset(key: string): Promise<void> {
    if (!this.record || !(key in this.record.values)) return;
    delete this.record.values[key];
    await this.save();
  }
  /** Every key, so flow-state helpers can find and bound their entries. */
  keys(): string[] {
    return Object.keys(this.record?.values ?? {});
  }

  /** The signed-in session's CSRF token (forms shown before sign-in use the gw_csrf cookie instead). */
  async csrfToken(): Promise<string> {
    return this.stored().csrf;
  }
  /** @internal the stored token or null (csrf.ts compares against it). */
  storedCsrfToken(): string | null {
    return this.record?.csrf ?? null;
  }

  /** The injected clock, for helpers that keep timed state in the session. */
  now(): number {
    return this.deps.clock();
  }

  /** @internal */
  async save(): Promise<void> {
    const record = this.stored();
    const now = this.deps.clock();
    if (this.id === null) {
      this.id = randomToken();
      setPageCookie(this.ctx, this.deps, sessionCookieName, this.id);
    }
    record.touchedAt = now;
    const left = sessionMaxSeconds - (now - record.createdAt) / 1000;
    await this.deps.cache.set(cacheKey(this.id), JSON.stringify(record), Math.max(1, Math.min(sessionIdleSeconds, left)));
  }

  /**
   * @internal a new session (new id, new CSRF token) for a user who just signed in; the old id stops
   * working. The same user signing in again (prompt=login) keeps the consent pages waiting.
   */
  async begin(user: SessionUser): Promise<void> {
    const values = this.record?.user.id === user.id ? this.record.values : {};
    await this.forget();
    const now = this.deps.clock();
    this.record = { v: 1, createdAt: now, touchedAt: now, user, csrf: randomToken(), values };
    await this.save();
    const slot = await indexSession(this.deps.cache, user.id, tokenDigest(this.id as string), sessionMaxSeconds, async (digest) => (await this.deps.cache.get(keyOfDigest(digest))) !== null);
    if (slot !== null) {
      this.record.slot = slot;
      await this.save();
    }
  }

  /** The session's record and its index slot go (the cookie stays as it is). */
  private async forget(): Promise<void> {
    if (this.id === null) return;
    const digest = tokenDigest(this.id);
    await this.deps.cache.delete(keyOfDigest(digest));
    if (this.record?.slot !== undefined) await freeSlot(this.deps.cache, this.record.user.id, this.record.slot, digest);
    this.id = null;
  }

  /** The digest its record is kept under (the console marks "this browser" with it), or null. */
  digest(): string | null {
    return this.id === null ? null : tokenDigest(this.id);
  }

  /** @internal forget everything, server side and in the browser. */
  async destroy(): Promise<void> {
    if (this.id !== null) {
      await this.forget();
      setPageCookie(this.ctx, this.deps, sessionCookieName, null);
    }
    this.record = null;
  }
}

/**
 * The request's browser session (loaded once per request). Without a valid cookie naming a live
 * session it is the empty, signed-out session, which stores nothing. An id the browser sends but
 * we don't know is never adopted: only a sign-in makes a session (no fixation through a planted cookie).
 */
export async function loadSession(ctx: Context, deps: SessionDeps): Promise<BrowserSession> {
  const loaded = ctx.state.pageSession;
  if (loaded) return loaded;
  const now = deps.clock();
  const cookie = readPageCookie(ctx, sessionCookieName);
  const id = cookie && sessionIdShape.test(cookie) ? cookie : null;
  let record = id ? parseRecord(await deps.cache.get(cacheKey(id))) : null;
  if (record && now - record.createdAt >= sessionMaxSeconds * 1000) {
    await deps.cache.delete(cacheKey(id as string));
    record = null;
  }
  const session = record ? new BrowserSession(ctx, deps, id, record) : new BrowserSession(ctx, deps, null, null);
  if (record && now - record.touchedAt >= touchIntervalMs) await session.save();
  // A password change or disable since this sign-in ends it (the session goes, the user signs in again).
  if (session.user && !(await signInHolds(deps.store.users, session.user))) await session.destroy();
  // ... and so does "sign out of other sessions" from another browser of the user (/account).
  if (record && session.user && (await endedElsewhere(deps.cache, session.user, record.createdAt))) await session.destroy();
  ctx.state.pageSession = session;
  return session;
}

/** Signs the user in: a new session (session fixation), a new CSRF token, a new sign-in id. */
export async function login(ctx: Context, deps: SessionDeps, user: { id: string; username: string; credentialVersion?: number }): Promise<BrowserSession> {
  const session = await loadSession(ctx, deps);
  await session.begin({ id: user.id, username: user.username, authTime: deps.clock(), signInId: randomToken(16), credentialVersion: user.credentialVersion ?? 0 });
  return session;
}

/** Signs out: the session is deleted and the cookie cleared. */
export async function logout(ctx: Context, deps: SessionDeps): Promise<void> {
  await (await loadSession(ctx, deps)).destroy();
}

