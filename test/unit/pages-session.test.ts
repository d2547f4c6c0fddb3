import http from 'node:http';
import net from 'node:net';
import Koa, { type Context } from 'koa';
import { MemoryCache } from '../../src/cache/memory';
import { manualClock } from '../../src/clock';
import { loadConfig, type GatewayConfig } from '../../src/config';
import { tokenDigest } from '../../src/crypto';
import { browserCsrfCookieName, browserCsrfToken, csrfMatches, verifyBrowserCsrf, verifyCsrf } from '../../src/pages/csrf';
import { PageError } from '../../src/pages/errors';
import { flowState } from '../../src/pages/flow-state';
import { AnonymousStateError, loadSession, login, logout, sessionCookieName } from '../../src/pages/session';
import type { Store, UserRow } from '../../src/storage/types';

// Sessions are driven through real Koa contexts (real cookies module, real signing) over a real
// MemoryCache; only the socket is absent. A session exists only once someone signed in.

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
const users = { users: { findById: async (id: string) => ({ id, enabled: true, credentialVersion: 0 }) as UserRow } } as unknown as Store;

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

  const alice = { id: 'u1', username: 'alice' };

  test('a browser nobody signed in to has no session and gets no cookie', async () => {
    const ctx = makeContext();
    const session = await loadSession(ctx, deps);
    expect(session.user).toBeNull();
    expect(setCookies(ctx)).toEqual([]);
  });

  test('nothing can be stored for a browser nobody signed in to', async () => {
    const ctx = makeContext();
    const session = await loadSession(ctx, deps);
    await expect(session.set('k', 'v')).rejects.toBeInstanceOf(AnonymousStateError);
    await expect(session.csrfToken()).rejects.toBeInstanceOf(AnonymousStateError);
    expect(cache.size).toBe(0);
    expect(setCookies(ctx)).toEqual([]);
  });

  test('signing in sets an HttpOnly, SameSite=Lax, signed cookie on path /', async () => {
    const ctx = makeContext();
    await login(ctx, deps, alice);
    const cookie = setCookies(ctx).find((c) => c.startsWith(`${sessionCookieName}=`)) ?? '';
    expect(cookie).toMatch(/; path=\//);
    expect(cookie).toMatch(/; samesite=lax/);
    expect(cookie).toMatch(/; httponly/);
    expect(cookie).not.toMatch(/; secure/);
    expect(setCookies(ctx).some((c) => c.startsWith(`${sessionCookieName}.sig=`))).toBe(true);
  });

  test('the cookie is Secure when the public URL is https, even behind a plain-http hop', async () => {
    const ctx = makeContext();
    await login(ctx, { ...deps, config: config('https://gateway.example') }, alice);
    expect(setCookies(ctx).find((c) => c.startsWith(`${sessionCookieName}=`))).toMatch(/; secure/);
  });

  test('the cache holds the session under the SHA-256 of its id, never the id itself', async () => {
    const ctx = makeContext();
    await (await login(ctx, deps, alice)).set('k', 'v');
    const id = sessionIdIn(ctx);
    expect(await cache.get(`session:${id}`)).toBeNull();
    expect(JSON.parse((await cache.get(`session:${tokenDigest(id)}`)) as string).values).toEqual({ k: 'v' });
  });

  test('a later request with the cookie sees the user and the stored values', async () => {
    const first = makeContext();
    await (await login(first, deps, alice)).set('flow', { step: 2 });
    const second = await loadSession(makeContext(cookieHeader(first)), deps);
    expect([second.userId, second.get('flow')]).toEqual(['u1', { step: 2 }]);
  });

  test('a cookie with a forged signature is ignored', async () => {
    const first = makeContext();
    await login(first, deps, alice);
    const forged = `${sessionCookieName}=${sessionIdIn(first)}; ${sessionCookieName}.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    expect((await loadSession(makeContext(forged), deps)).userId).toBeNull();
  });

  test('an unknown session id from the browser is not adopted', async () => {
    // A correctly signed cookie naming an id the cache doesn't know (expired, or planted).
    const first = makeContext();
    await login(first, deps, alice);
    const planted = sessionIdIn(first);
    await cache.delete(`session:${tokenDigest(planted)}`);
    const ctx = makeContext(cookieHeader(first));
    expect((await loadSession(ctx, deps)).userId).toBeNull();
    await login(ctx, deps, alice);
    expect(sessionIdIn(ctx)).not.toBe(planted);
  });

  const hours = (n: number) => n * 60 * 60 * 1000;

  test('a session idle for longer than 8 hours is gone', async () => {
    const first = makeContext();
    await login(first, deps, alice);
    clock.advance(hours(8) + 1000);
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBeNull();
  });

  test('using a session slides its idle expiry forward', async () => {
    const first = makeContext();
    await login(first, deps, alice);
    clock.advance(hours(7));
    await loadSession(makeContext(cookieHeader(first)), deps);
    clock.advance(hours(7));
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBe('u1');
  });

  test('a session ends 24 hours after it began, however busy', async () => {
    const first = makeContext();
    await login(first, deps, alice);
    for (let i = 0; i < 4; i++) {
      clock.advance(hours(6));
      await loadSession(makeContext(cookieHeader(first)), deps);
    }
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBeNull();
  });

  test('signing in again draws a new session id and the old one stops working', async () => {
    const first = makeContext();
    await login(first, deps, alice);
    const oldId = sessionIdIn(first);
    const second = makeContext(cookieHeader(first));
    await login(second, deps, alice);
    expect(sessionIdIn(second)).not.toBe(oldId);
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBeNull();
  });

  test('the same user signing in again keeps the flow state; the time and sign-in id are new', async () => {
    const first = makeContext();
    const before = await login(first, deps, alice);
    await before.set('flow', 'pending');
    const signInId = before.user?.signInId;
    clock.advance(1000);
    const second = makeContext(cookieHeader(first));
    await login(second, deps, alice);
    const after = await loadSession(makeContext(cookieHeader(second)), deps);
    expect(after.get('flow')).toBe('pending');
    expect(after.user).toEqual({ id: 'u1', username: 'alice', authTime: clock(), signInId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), credentialVersion: 0 });
    expect(after.user?.signInId).not.toBe(signInId);
  });

  test("another user signing in on the same browser does not inherit the first one's flow state", async () => {
    const first = makeContext();
    await (await login(first, deps, alice)).set('flow', 'pending');
    const second = makeContext(cookieHeader(first));
    await login(second, deps, { id: 'u2', username: 'bob' });
    expect((await loadSession(makeContext(cookieHeader(second)), deps)).get('flow')).toBeUndefined();
  });

  test('signing in replaces the CSRF token', async () => {
    const first = makeContext();
    const before = await (await login(first, deps, alice)).csrfToken();
    const second = makeContext(cookieHeader(first));
    const session = await login(second, deps, alice);
    expect(csrfMatches(session, before)).toBe(false);
  });

  test('logout deletes the session and clears the cookie', async () => {
    const first = makeContext();
    await login(first, deps, alice);
    const second = makeContext(cookieHeader(first));
    await logout(second, deps);
    expect(setCookies(second).find((c) => c.startsWith(`${sessionCookieName}=;`))).toMatch(/expires=Thu, 01 Jan 1970/);
    expect((await loadSession(makeContext(cookieHeader(first)), deps)).userId).toBeNull();
    expect(cache.size).toBe(0);
  });
});

describe("signed-in session's CSRF token", () => {
  const clock = manualClock(1_700_000_000_000);
  const cache = new MemoryCache({ clock });
  const deps = { cache, clock, config: config(), store: users };
  afterAll(() => cache.close());
  const signedIn = () => login(makeContext(), deps, { id: 'u1', username: 'alice' });

  test('the session token verifies', async () => {
    const session = await signedIn();
    expect(csrfMatches(session, await session.csrfToken())).toBe(true);
  });

  test('the token is stable for the session', async () => {
    const session = await signedIn();
    expect(await session.csrfToken()).toBe(await session.csrfToken());
  });

  test('another session token does not verify', async () => {
    const mine = await signedIn();
    const other = await (await signedIn()).csrfToken();
    expect(csrfMatches(mine, other)).toBe(false);
  });

  test('a token of a different length does not verify', async () => {
    const session = await signedIn();
    expect(csrfMatches(session, (await session.csrfToken()) + 'x')).toBe(false);
  });

  test('a missing or empty token does not verify', async () => {
    const session = await signedIn();
    expect(csrfMatches(session, undefined)).toBe(false);
    expect(csrfMatches(session, '')).toBe(false);
  });

  test('nothing verifies against a browser nobody signed in to', async () => {
    const session = await loadSession(makeContext(), deps);
    expect(csrfMatches(session, '')).toBe(false);
    expect(csrfMatches(session, 'anything')).toBe(false);
  });

  test('verifyCsrf throws a 403 page error on a mismatch and passes the right token', async () => {
    const ctx = makeContext();
    const session = await login(ctx, deps, { id: 'u1', username: 'alice' });
    let thrown: unknown;
    try {
      verifyCsrf(ctx, session, 'forged');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PageError);
    expect((thrown as PageError).status).toBe(403);
    const token = await session.csrfToken();
    expect(() => verifyCsrf(ctx, session, token)).not.toThrow();
  });
});

describe("the browser's CSRF cookie (forms anyone may load)", () => {
  const deps = { config: config() };

  function cookieLine(ctx: Context): string {
    return setCookies(ctx).find((c) => c.startsWith(`${browserCsrfCookieName}=`)) ?? '';
  }

  test('a new value is set as a signed, HttpOnly, SameSite=Lax cookie', () => {
    const ctx = makeContext();
    const token = browserCsrfToken(ctx, deps);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookieLine(ctx)).toMatch(new RegExp(`^${browserCsrfCookieName}=${token}; path=/; samesite=lax; httponly`));
    expect(setCookies(ctx).some((c) => c.startsWith(`${browserCsrfCookieName}.sig=`))).toBe(true);
  });

  test('one value per request, however many forms ask', () => {
    const ctx = makeContext();
    expect(browserCsrfToken(ctx, deps)).toBe(browserCsrfToken(ctx, deps));
    expect(setCookies(ctx).filter((c) => c.startsWith(`${browserCsrfCookieName}=`))).toHaveLength(1);
  });

  test("the browser's existing value is kept and not set again", () => {
    const first = makeContext();
    const token = browserCsrfToken(first, deps);
    const second = makeContext(cookieHeader(first));
    expect(browserCsrfToken(second, deps)).toBe(token);
    expect(cookieLine(second)).toBe('');
  });

  test('the form token verifies against the cookie', () => {
    const first = makeContext();
    const token = browserCsrfToken(first, deps);
    expect(verifyBrowserCsrf(makeContext(cookieHeader(first)), token)).toBe(token);
  });

  test.each([
    ['another value', 'A'.repeat(43)],
    ['an empty token', ''],
    ['no token', undefined],
  ])('%s is refused with the 403 page', (_label, submitted) => {
    const first = makeContext();
    browserCsrfToken(first, deps);
    expect(() => verifyBrowserCsrf(makeContext(cookieHeader(first)), submitted)).toThrow(PageError);
  });

  test('a cookie with a forged signature does not verify', () => {
    const value = 'B'.repeat(43);
    const ctx = makeContext(`${browserCsrfCookieName}=${value}; ${browserCsrfCookieName}.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(() => verifyBrowserCsrf(ctx, value)).toThrow(PageError);
  });

  test('without the cookie nothing verifies', () => {
    expect(() => verifyBrowserCsrf(makeContext(), 'A'.repeat(43))).toThrow(PageError);
  });
});

describe('flow state', () => {
  const clock = manualClock(1_700_000_000_000);
  const cache = new MemoryCache({ clock });
  const deps = { cache, clock, config: config(), store: users };
  const pending = flowState<{ clientId: string }>('test.authorize', { ttlSeconds: 600, maxEntries: 3 });
  afterAll(() => cache.close());
  const signedIn = () => login(makeContext(), deps, { id: 'u1', username: 'alice' });

  test('a stashed value comes back by its continuation id', async () => {
    const session = await signedIn();
    const id = await pending.stash(session, { clientId: 'c1' });
    expect(pending.peek(session, id)).toEqual({ clientId: 'c1' });
  });

  test('nothing is stashed for a browser nobody signed in to', async () => {
    const session = await loadSession(makeContext(), deps);
    await expect(pending.stash(session, { clientId: 'c1' })).rejects.toBeInstanceOf(AnonymousStateError);
  });

  test('two flows in one session keep their own values', async () => {
    const session = await signedIn();
    const a = await pending.stash(session, { clientId: 'a' });
    const b = await pending.stash(session, { clientId: 'b' });
    expect([pending.peek(session, a), pending.peek(session, b)]).toEqual([{ clientId: 'a' }, { clientId: 'b' }]);
  });

  test('an unknown or malformed id gives null', async () => {
    const session = await signedIn();
    await pending.stash(session, { clientId: 'c1' });
    expect(pending.peek(session, 'A'.repeat(22))).toBeNull();
    expect(pending.peek(session, '../../x')).toBeNull();
    expect(pending.peek(session, null)).toBeNull();
  });

  test('a dropped value is gone', async () => {
    const session = await signedIn();
    const id = await pending.stash(session, { clientId: 'c1' });
    await pending.drop(session, id);
    expect(pending.peek(session, id)).toBeNull();
  });

  test('a value older than its lifetime is gone', async () => {
    const session = await signedIn();
    const id = await pending.stash(session, { clientId: 'c1' });
    clock.advance(601_000);
    expect(pending.peek(session, id)).toBeNull();
  });

  test('past the bound the oldest value is evicted', async () => {
    const session = await signedIn();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(await pending.stash(session, { clientId: `c${i}` }));
      clock.advance(1);
    }
    expect(pending.peek(session, ids[0])).toBeNull();
    expect(ids.slice(1).map((id) => pending.peek(session, id)?.clientId)).toEqual(['c1', 'c2', 'c3']);
  });
});
