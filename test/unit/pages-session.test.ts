import http from 'node:http';
import net from 'node:net';
import Koa, { type Context } from 'koa';
import { MemoryCache } from '../../src/cache/memory';
import { manualClock } from '../../src/clock';
import { loadConfig, type GatewayConfig } from '../../src/config';
import { tokenDigest } from '../../src/crypto';
import { csrfMatches, verifyCsrf } from '../../src/pages/csrf';
import { PageError } from '../../src/pages/errors';
import { flowState } from '../../src/pages/flow-state';
import { forceLogin, loadSession, login, logout, sessionCookieName } from '../../src/pages/session';
import type { User } from '../../src/storage/entities';
import type { Store } from '../../src/storage/types';

// Sessions are driven through real Koa contexts (real cookies module, real signing) over a real
// MemoryCache; only the socket is absent.

const app = new Koa();
app.keys = ['unit-test-cookie-key'];

function config(publicUrl: string | null = null): GatewayConfig {
  return loadConfig({ env: {}, overrides: { server: { publicUrl }, demo: false } });
}

function makeContext(cookie?: string): Context {
  const req = new http.IncomingMessage(new net.Socket());
  req.method = 'GET';
  req.url = '/';
  req.headers = { host: 'gateway.test', ...(cookie ? { cookie } : {}) };
  const res = new http.ServerResponse(req);
  return app.createContext(req, res) as Context;
}

function setCookies(ctx: Context): string[] {
  const header = ctx.res.getHeader('set-cookie');
  return Array.isArray(header) ? header : header ? [String(header)] : [];
}

/** What the browser sends back: every cookie set by the response, name=value only. */
function cookieHeader(ctx: Context): string {
  return setCookies(ctx)
    .map((c) => c.split(';')[0])
    .join('; ');
}

function sessionIdIn(ctx: Context): string {
  const line = setCookies(ctx).find((c) => c.startsWith(`${sessionCookieName}=`));
  if (!line) throw new Error('no session cookie set');
  return line.split(';')[0].slice(sessionCookieName.length + 1);
}

// Every user a session signs in exists and is enabled, at credential version 0.
const users = { users: { findById: async (id: string) => ({ id, enabled: true, credentialVersion: 0 }) as User } } as unknown as Store;

describe('browser session', () => {
  let clock: ReturnType<typeof manualClock>;
  let cache: MemoryCache;
  let deps: { cache: MemoryCache; clock: typeof clock; config: GatewayConfig; store: Store };

  beforeEach(() => {
    clock = manualClock(1_700_000_000_000);
    cache = new MemoryCache({ clock });
    deps = { cache, clock, config: config(), store: users };
  });
  afterEach(() => cache.close());

  test('a new session sets no cookie until something is stored', async () => {
    const ctx = makeContext();
    const session = await loadSession(ctx, deps);
    expect(session.isNew).toBe(true);
    expect(setCookies(ctx)).toEqual([]);
  });

  test('storing a value sets an HttpOnly, SameSite=Lax, signed cookie on path /', async () => {
    const ctx = makeContext();
    await (await loadSession(ctx, deps)).set('k', 1);
    const cookie = setCookies(ctx).find((c) => c.startsWith(`${sessionCookieName}=`)) ?? '';
    expect(cookie).toMatch(/; path=\//);
    expect(cookie).toMatch(/; samesite=lax/);
    expect(cookie).toMatch(/; httponly/);
    expect(cookie).not.toMatch(/; secure/);
    expect(setCookies(ctx).some((c) => c.startsWith(`${sessionCookieName}.sig=`))).toBe(true);
  });

  test('the cookie is Secure when the public URL is https, even behind a plain-http hop', async () => {
    const ctx = makeContext();
    await (await loadSession(ctx, { ...deps, config: config('https://gateway.example') })).set('k', 1);
    expect(setCookies(ctx).find((c) => c.startsWith(`${sessionCookieName}=`))).toMatch(/; secure/);
  });

  test('the cache holds the session under the SHA-256 of its id, never the id itself', async () => {
    const ctx = makeContext();
    await (await loadSession(ctx, deps)).set('k', 'v');
    const id = sessionIdIn(ctx);
    expect(await cache.get(`session:${id}`)).toBeNull();
    expect(JSON.parse((await cache.get(`session:${tokenDigest(id)}`)) as string).values).toEqual({ k: 'v' });
  });

  test('a later request with the cookie sees the stored values', async () => {
    const first = makeContext();
    await (await loadSession(first, deps)).set('flow', { step: 2 });
    const second = await loadSession(makeContext(cookieHeader(first)), deps);
    expect(second.get('flow')).toEqual({ step: 2 });
  });

  test('a cookie with a forged signature is ignored', async () => {
    const first = makeContext();
    await (await loadSession(first, deps)).set('k', 'v');
    const forged = `${sessionCookieName}=${sessionIdIn(first)}; ${sessionCookieName}.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    expect((await loadSession(makeContext(forged), deps)).get('k')).toBeUndefined();
  });

  test('an unknown session id from the browser is not adopted', async () => {
    // A correctly signed cookie naming an id the cache doesn't know (expired, or planted).
    const first = makeContext();
    await (await loadSession(first, deps)).set('k', 'v');
    const planted = sessionIdIn(first);
    await cache.delete(`session:${tokenDigest(planted)}`);
    const ctx = makeContext(cookieHeader(first));
    await (await loadSession(ctx, deps)).set('k', 'again');
    expect(sessionIdIn(ctx)).not.toBe(planted);
  });

  const hours = (n: number) => n * 60 * 60 * 1000;

  test('a signed-in session idle for longer than 8 hours is gone', async () => {
    const first = makeContext();
    await login(first, deps, { id: 'u1', username: 'alice' });
    clock.advance(hours(8) + 1000);
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBeNull();
  });

  test('using a signed-in session slides its idle expiry forward', async () => {
    const first = makeContext();
    await login(first, deps, { id: 'u1', username: 'alice' });
    clock.advance(hours(7));
    await loadSession(makeContext(cookieHeader(first)), deps);
    clock.advance(hours(7));
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBe('u1');
  });

  test('a session that never signed in is gone after 30 idle minutes', async () => {
    const first = makeContext();
    await (await loadSession(first, deps)).set('k', 'v');
    clock.advance(29 * 60 * 1000);
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).get('k')).toBe('v');
    clock.advance(31 * 60 * 1000);
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).get('k')).toBeUndefined();
  });

  test('a session ends 24 hours after it began, however busy', async () => {
    const first = makeContext();
    await login(first, deps, { id: 'u1', username: 'alice' });
    for (let i = 0; i < 4; i++) {
      clock.advance(hours(6));
      await loadSession(makeContext(cookieHeader(first)), deps);
    }
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBeNull();
  });

  test('login draws a new session id and the old one stops working', async () => {
    const first = makeContext();
    await (await loadSession(first, deps)).set('flow', 'pending');
    const oldId = sessionIdIn(first);
    const second = makeContext(cookieHeader(first));
    await login(second, deps, { id: 'u1', username: 'alice' });
    expect(sessionIdIn(second)).not.toBe(oldId);
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).get('flow')).toBeUndefined();
  });

  test('login keeps the flow state and records the user and the time', async () => {
    const first = makeContext();
    await (await loadSession(first, deps)).set('flow', 'pending');
    const second = makeContext(cookieHeader(first));
    await login(second, deps, { id: 'u1', username: 'alice' });
    const after = await loadSession(makeContext(cookieHeader(second)), deps);
    expect(after.get('flow')).toBe('pending');
    expect(after.user).toEqual({ id: 'u1', username: 'alice', authTime: clock(), credentialVersion: 0 });
  });

  test('login replaces the CSRF token', async () => {
    const first = makeContext();
    const before = await (await loadSession(first, deps)).csrfToken();
    const second = makeContext(cookieHeader(first));
    const session = await login(second, deps, { id: 'u1', username: 'alice' });
    expect(csrfMatches(session, before)).toBe(false);
  });

  test('logout deletes the session and clears the cookie', async () => {
    const first = makeContext();
    await login(first, deps, { id: 'u1', username: 'alice' });
    const second = makeContext(cookieHeader(first));
    await logout(second, deps);
    expect(setCookies(second).find((c) => c.startsWith(`${sessionCookieName}=;`))).toMatch(/expires=Thu, 01 Jan 1970/);
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBeNull();
  });

  test('forceLogin forgets the user but keeps the flow state', async () => {
    const first = makeContext();
    const session = await login(first, deps, { id: 'u1', username: 'alice' });
    await session.set('flow', 'pending');
    await forceLogin(makeContext(cookieHeader(first)), deps);
    const after = await loadSession(makeContext(cookieHeader(first)), deps);
    expect(after.userId).toBeNull();
    expect(after.get('flow')).toBe('pending');
  });
});

describe('CSRF token', () => {
  const clock = manualClock(1_700_000_000_000);
  const cache = new MemoryCache({ clock });
  const deps = { cache, clock, config: config(), store: users };
  afterAll(() => cache.close());

  test('the session token verifies', async () => {
    const session = await loadSession(makeContext(), deps);
    const token = await session.csrfToken();
    expect(csrfMatches(session, token)).toBe(true);
  });

  test('the token is stable for the session', async () => {
    const session = await loadSession(makeContext(), deps);
    expect(await session.csrfToken()).toBe(await session.csrfToken());
  });

  test('another session token does not verify', async () => {
    const mine = await loadSession(makeContext(), deps);
    await mine.csrfToken();
    const other = await (await loadSession(makeContext(), deps)).csrfToken();
    expect(csrfMatches(mine, other)).toBe(false);
  });

  test('a token of a different length does not verify', async () => {
    const session = await loadSession(makeContext(), deps);
    const token = await session.csrfToken();
    expect(csrfMatches(session, token + 'x')).toBe(false);
  });

  test('a missing or empty token does not verify', async () => {
    const session = await loadSession(makeContext(), deps);
    await session.csrfToken();
    expect(csrfMatches(session, undefined)).toBe(false);
    expect(csrfMatches(session, '')).toBe(false);
  });

  test('nothing verifies against a session that never issued a token', async () => {
    const session = await loadSession(makeContext(), deps);
    expect(csrfMatches(session, '')).toBe(false);
    expect(csrfMatches(session, 'anything')).toBe(false);
  });

  test('verifyCsrf throws a 403 page error on a mismatch', async () => {
    const ctx = makeContext();
    const session = await loadSession(ctx, deps);
    await session.csrfToken();
    let thrown: unknown;
    try {
      verifyCsrf(ctx, session, 'forged');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PageError);
    expect((thrown as PageError).status).toBe(403);
  });

  test('verifyCsrf passes the right token', async () => {
    const ctx = makeContext();
    const session = await loadSession(ctx, deps);
    expect(() => verifyCsrf(ctx, session, 'x')).toThrow(PageError);
    const token = await session.csrfToken();
    expect(() => verifyCsrf(ctx, session, token)).not.toThrow();
  });
});

describe('flow state', () => {
  const clock = manualClock(1_700_000_000_000);
  const cache = new MemoryCache({ clock });
  const deps = { cache, clock, config: config(), store: users };
  const pending = flowState<{ clientId: string }>('test.authorize', { ttlSeconds: 600, maxEntries: 3 });
  afterAll(() => cache.close());

  test('a stashed value comes back by its continuation id', async () => {
    const session = await loadSession(makeContext(), deps);
    const id = await pending.stash(session, { clientId: 'c1' });
    expect(pending.peek(session, id)).toEqual({ clientId: 'c1' });
  });

  test('two flows in one session keep their own values', async () => {
    const session = await loadSession(makeContext(), deps);
    const a = await pending.stash(session, { clientId: 'a' });
    const b = await pending.stash(session, { clientId: 'b' });
    expect([pending.peek(session, a), pending.peek(session, b)]).toEqual([{ clientId: 'a' }, { clientId: 'b' }]);
  });

  test('an unknown or malformed id gives null', async () => {
    const session = await loadSession(makeContext(), deps);
    await pending.stash(session, { clientId: 'c1' });
    expect(pending.peek(session, 'A'.repeat(22))).toBeNull();
    expect(pending.peek(session, '../../x')).toBeNull();
    expect(pending.peek(session, null)).toBeNull();
  });

  test('a dropped value is gone', async () => {
    const session = await loadSession(makeContext(), deps);
    const id = await pending.stash(session, { clientId: 'c1' });
    await pending.drop(session, id);
    expect(pending.peek(session, id)).toBeNull();
  });

  test('a value older than its lifetime is gone', async () => {
    const session = await loadSession(makeContext(), deps);
    const id = await pending.stash(session, { clientId: 'c1' });
    clock.advance(601_000);
    expect(pending.peek(session, id)).toBeNull();
  });

  test('past the bound the oldest value is evicted', async () => {
    const session = await loadSession(makeContext(), deps);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(await pending.stash(session, { clientId: `c${i}` }));
      clock.advance(1);
    }
    expect(pending.peek(session, ids[0])).toBeNull();
    expect(ids.slice(1).map((id) => pending.peek(session, id)?.clientId)).toEqual(['c1', 'c2', 'c3']);
  });
});
