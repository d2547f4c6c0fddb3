import { MemoryCache } from '../../src/cache';
import { form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { startOAuth1Gateway, OAuth1Client, type OAuth1Gateway } from '../helpers/oauth1';
import { Browser, authorizePath, isConsentPage, isLoginPage, pkcePair, readForm, throughLogin } from '../helpers/browser';
import { keysWithPrefix } from '../helpers/redis';

// "Anonymous requests create no server-side state": every page a caller can open without signing in
// (login, authorize, its return after sign-in, /device and its code confirmation, OAuth 1.0a
// user_auth) leaves the cache as it found it, on the memory cache and on Redis. Server-side session
// state begins with a successful sign-in, and not before.

const alice = { username: 'alice', password: 'alice-password-1' };
const callback = 'https://app.example/cb';

/** Entries the gateway's cache holds: the memory cache's size, or the keys under the Redis prefix. */
async function cacheEntries(gw: TestGateway): Promise<number> {
  if (gw.deps.cache instanceof MemoryCache) return gw.deps.cache.size;
  return (await keysWithPrefix(gw.shared.keyPrefix as string, gw.shared.redisUrl)).length;
}

describe.each(['memory', 'redis'] as const)('anonymous pages leave nothing in the %s cache', (cache) => {
  let gw: OAuth1Gateway;
  let userCode: string;

  beforeAll(async () => {
    gw = await startOAuth1Gateway({ cache });
    await gw.fixtures.user(alice.username, alice.password);
    await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: [callback], scopes: 'read' });
    await gw.fixtures.client({ id: 'tv', name: 'Living Room TV', grants: 'device_code', public: true, scopes: 'read' });
    const f = form({ client_id: 'tv' });
    const device = await gw.request('/oauth2/device_authorization', { method: 'POST', body: f.body, headers: f.headers });
    gw.remember(device.json.device_code);
    userCode = device.json.user_code;
  });

  afterAll(async () => {
    await gw?.close();
  });

  /** Runs the steps in a fresh browser and says how many cache entries they added, and which cookies they set. */
  async function added(steps: (browser: Browser) => Promise<unknown>): Promise<{ entries: number; cookies: string[] }> {
    const before = await cacheEntries(gw);
    const browser = new Browser(gw.url);
    const setCookies: string[] = [];
    const original = browser.get.bind(browser);
    browser.get = async (url: string) => {
      const page = await original(url);
      setCookies.push(...page.headers.getSetCookie().map((c) => c.split('=')[0]));
      return page;
    };
    await steps(browser);
    return { entries: (await cacheEntries(gw)) - before, cookies: setCookies };
  }

  test('GET /login', async () => {
    const result = await added(async (browser) => expect(isLoginPage(await browser.get('/login?continue=%2Fdevice'))).toBe(true));
    expect(result.entries).toBe(0);
    expect(result.cookies).not.toContain('gw_session');
  });

  test('GET /oauth2/authorize, a valid request, signed out', async () => {
    const { challenge } = pkcePair();
    const params = { client_id: 'web', response_type: 'code', redirect_uri: callback, state: 'x'.repeat(4096), code_challenge: challenge, code_challenge_method: 'S256' };
    const result = await added(async (browser) => expect(isLoginPage(await browser.get(authorizePath(params)))).toBe(true));
    expect(result.entries).toBe(0);
    expect(result.cookies).not.toContain('gw_session');
  });

  test("the login page's way back into the authorization, still signed out", async () => {
    const result = await added(async (browser) => {
      const login = await browser.get(authorizePath({ client_id: 'web', response_type: 'code', redirect_uri: callback, state: 's' }));
      const back = readForm(login.text).fields.continue;
      expect(back).toMatch(/^\/oauth2\/authorize/);
      expect(isLoginPage(await browser.get(back))).toBe(true);
    });
    expect(result.entries).toBe(0);
  });

  test('GET /device and entering a right code', async () => {
    const result = await added(async (browser) => {
      const entry = await browser.get(`/device?user_code=${encodeURIComponent(userCode)}`);
      const submitted = await browser.submit(entry, { user_code: userCode });
      expect(submitted.status).toBe(303);
      expect(isLoginPage(await browser.get(submitted.location as string))).toBe(true);
    });
    expect(result.entries).toBe(0);
    expect(result.cookies).not.toContain('gw_session');
  });

  test('GET /oauth/user_auth with a live request token', async () => {
    const consumer = await gw.consumer();
    const { authUrl } = await new OAuth1Client(gw, consumer).requestToken('https://consumer.example/cb');
    const before = await cacheEntries(gw);
    const page = await new Browser(gw.url).get(new URL(authUrl).pathname + new URL(authUrl).search);
    expect(isLoginPage(page)).toBe(true);
    expect(await cacheEntries(gw)).toBe(before);
  });

  test('GET /logout, signed out', async () => {
    const result = await added(async (browser) => expect((await browser.get('/logout')).status).toBe(200));
    expect(result.entries).toBe(0);
  });

  test('signing in is what creates the session, and the flow goes on from there', async () => {
    const browser = new Browser(gw.url);
    const before = await cacheEntries(gw);
    const login = await browser.get(authorizePath({ client_id: 'web', response_type: 'code', redirect_uri: callback, state: 's', prompt: 'consent' }));
    expect(await cacheEntries(gw)).toBe(before);
    const consent = await throughLogin(browser, login, alice);
    expect(isConsentPage(consent)).toBe(true);
    expect(await cacheEntries(gw)).toBeGreaterThan(before);
  });
});
