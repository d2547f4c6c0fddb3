import { form, type HttpResult } from '../helpers/gateway';
import { Browser, OAuth1Client, spyOnRepository, startOAuth1Gateway, type FormResult, type OAuth1Gateway } from '../helpers/oauth1';
import { logWindow } from '../helpers/log-window';

// Every guess counter is counted atomically before the guess is checked: 40 parallel guesses get at
// most the limit evaluated, on the memory cache and on Redis alike. One counter per username serves
// every channel that takes a password (login page, password grant, ClearPass, xAuth).

const MAX_FAILURES = 5;
const MAX_FAILURES_PER_ADDRESS = 7;
const GUESSES = 40;

const parallel = <T>(count: number, run: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: count }, (_, i) => run(i)));
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

describe.each(['memory', 'redis'] as const)('with the %s cache', (cache) => {
  let gw: OAuth1Gateway;
  let xauth: OAuth1Client;
  let users = 0;
  let addresses = 0;

  /** A fresh client address (the gateway trusts 127.0.0.1 as a proxy), so only the username's counter adds up. */
  const address = () => `203.0.${Math.floor(++addresses / 250)}.${(addresses % 250) + 1}`;

  /** A user of its own for one test. */
  async function user(): Promise<{ username: string; password: string }> {
    const credentials = { username: `victim-${++users}`, password: `right-password-${users}` };
    await gw.fixtures.user(credentials.username, credentials.password);
    return credentials;
  }

  function passwordGrant(username: string, password: string, from = address()): Promise<HttpResult> {
    const f = form({ grant_type: 'password', username, password, client_id: 'app' });
    return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, 'x-forwarded-for': from } });
  }

  function clearpass(username: string, password: string): Promise<HttpResult> {
    return gw.request('/api/oauth', {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'password', username, password, client_id: 'app' }),
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': address() },
    });
  }

  function xauthAttempt(username: string, password: string): Promise<FormResult> {
    return xauth.send('POST', '/oauth/xauth_access_token', { x_auth_username: username, x_auth_password: password, x_auth_mode: 'client_auth' }, undefined, {
      headers: { 'x-forwarded-for': address() },
    });
  }

  /** The login page in a browser of its own, from an address of its own. */
  async function loginPage(username: string, password: string): Promise<{ status: number }> {
    const browser = new Browser(gw.url);
    const page = await browser.get('/login');
    return browser.submit(page, { username, password });
  }

  beforeAll(async () => {
    gw = await startOAuth1Gateway({
      cache,
      config: {
        server: { trustedProxies: ['127.0.0.1'] },
        login: { maxFailures: MAX_FAILURES, maxFailuresPerAddress: MAX_FAILURES_PER_ADDRESS, lockSeconds: 300 },
        hashing: { maxConcurrent: 2, maxQueued: GUESSES },
      },
    });
    await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password', public: true });
    xauth = new OAuth1Client(gw, await gw.consumer({ name: 'Trusted app', xauth: true }), 'HMAC-SHA1', 'body');
  });
  afterAll(() => gw.close());

  test('40 parallel wrong passwords on the password grant: only maxFailures are verified, the rest get 429', async () => {
    const victim = await user();
    const runs = gw.deps.hashing.runs;
    const results = await parallel(GUESSES, (i) => passwordGrant(victim.username, `wrong-${i}`));
    expect(gw.deps.hashing.runs - runs).toBe(MAX_FAILURES);
    expect(sorted(results.map((r) => r.status))).toEqual([...Array(MAX_FAILURES).fill(400), ...Array(GUESSES - MAX_FAILURES).fill(429)]);
    expect(Number(results.find((r) => r.status === 429)?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('40 parallel wrong passwords on xAuth: only maxFailures are verified, the rest get 429', async () => {
    const victim = await user();
    const runs = gw.deps.hashing.runs;
    const results = await parallel(GUESSES, (i) => xauthAttempt(victim.username, `wrong-${i}`));
    expect(gw.deps.hashing.runs - runs).toBe(MAX_FAILURES);
    expect(sorted(results.map((r) => r.status))).toEqual([...Array(MAX_FAILURES).fill(401), ...Array(GUESSES - MAX_FAILURES).fill(429)]);
  });

  test('40 parallel wrong passwords from one address for 40 usernames: only maxFailuresPerAddress are verified', async () => {
    const from = address();
    const runs = gw.deps.hashing.runs;
    const results = await parallel(GUESSES, (i) => passwordGrant(`sprayed-${users}-${i}`, 'wrong', from));
    expect(gw.deps.hashing.runs - runs).toBe(MAX_FAILURES_PER_ADDRESS);
    expect(results.filter((r) => r.status === 429)).toHaveLength(GUESSES - MAX_FAILURES_PER_ADDRESS);
  });

  test('wrong passwords on xAuth and the password grant lock the user out of the login page and ClearPass too', async () => {
    const victim = await user();
    for (let i = 0; i < MAX_FAILURES; i++) {
      const answer = i % 2 === 0 ? (await xauthAttempt(victim.username, 'wrong')).status : (await passwordGrant(victim.username, 'wrong')).status;
      expect(answer).not.toBe(429);
    }
    expect((await passwordGrant(victim.username, victim.password)).status).toBe(429);
    expect((await clearpass(victim.username, victim.password)).status).toBe(429);
    expect((await xauthAttempt(victim.username, victim.password)).status).toBe(429);
    expect((await loginPage(victim.username, victim.password)).status).toBe(429);
  });

  test('wrong passwords on the login page count on the password grant', async () => {
    const victim = await user();
    for (let i = 0; i < MAX_FAILURES; i++) expect((await loginPage(victim.username, 'wrong')).status).toBe(200);
    expect((await passwordGrant(victim.username, victim.password)).status).toBe(429);
  });

  test('a right password on one channel clears the user counter for all of them', async () => {
    const victim = await user();
    for (let i = 0; i < MAX_FAILURES - 1; i++) expect((await passwordGrant(victim.username, 'wrong')).status).toBe(400);
    const signedIn = await xauthAttempt(victim.username, victim.password);
    gw.remember(signedIn.form.oauth_token, signedIn.form.oauth_token_secret, signedIn.form.oauth_session_handle);
    expect(signedIn.status).toBe(200);
    for (let i = 0; i < MAX_FAILURES - 1; i++) expect((await passwordGrant(victim.username, 'wrong')).status).toBe(400);
    expect((await passwordGrant(victim.username, victim.password)).status).toBe(200);
  });

  test('a right password does not use up an attempt of its address', async () => {
    const victim = await user();
    const from = address();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS + 2; i++) expect((await passwordGrant(victim.username, victim.password, from)).status).toBe(200);
    expect((await passwordGrant(victim.username, 'wrong', from)).status).toBe(400);
  });

  test('no password or token reaches the logs', async () => {
    const logs = logWindow(gw);
    const victim = await user();
    expect((await passwordGrant(victim.username, 'wrong-password-1')).status).toBe(400);
    expect((await xauthAttempt(victim.username, 'wrong-password-2')).status).toBe(401);
    expect((await loginPage(victim.username, 'wrong-password-3')).status).toBe(200);
    gw.remember('wrong-password-1', 'wrong-password-2', 'wrong-password-3');
    expect((await passwordGrant(victim.username, victim.password)).status).toBe(200);
    // A user without API access: ClearPass checks the password, then answers 403.
    expect((await clearpass(victim.username, victim.password)).status).toBe(403);
    const signedIn = await xauthAttempt(victim.username, victim.password);
    gw.remember(signedIn.form.oauth_token, signedIn.form.oauth_token_secret, signedIn.form.oauth_session_handle);
    expect(signedIn.status).toBe(200);
    expect(logs.text()).toContain('/oauth2/token');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});

describe.each(['memory', 'redis'] as const)('device code entry with the %s cache', (cache) => {
  const PER_ADDRESS = 6;
  let gw: OAuth1Gateway;

  beforeEach(async () => {
    // maxFailures (per username) differs on purpose: the code entry is limited per address.
    gw = await startOAuth1Gateway({ cache, config: { login: { maxFailures: 2, maxFailuresPerAddress: PER_ADDRESS, lockSeconds: 300 } } });
    await gw.fixtures.client({ id: 'tv', name: 'TV', grants: 'device_code', public: true });
  });
  afterEach(() => gw.close());

  async function deviceCode(): Promise<{ user_code: string; device_code: string; expires_in: number }> {
    const f = form({ client_id: 'tv' });
    const res = await gw.request('/oauth2/device_authorization', { method: 'POST', body: f.body, headers: f.headers });
    gw.remember(res.json.device_code);
    return res.json;
  }

  test('40 parallel wrong codes from one address: only maxFailuresPerAddress are looked up, the rest get 429', async () => {
    const browser = new Browser(gw.url);
    const page = await browser.get('/device');
    const lookups = spyOnRepository(gw.deps.store.deviceCodes, 'findByUserCode');
    try {
      const results = await parallel(GUESSES, () => browser.submit(page, { user_code: 'BBBB-BBBB' }));
      expect(lookups.calls()).toBe(PER_ADDRESS);
      expect(sorted(results.map((r) => r.status))).toEqual([...Array(PER_ADDRESS).fill(400), ...Array(GUESSES - PER_ADDRESS).fill(429)]);
    } finally {
      lookups.restore();
    }
  });

  test('an expired code is not a wrong guess', async () => {
    const code = await deviceCode();
    gw.clock.advance(code.expires_in * 1000);
    const browser = new Browser(gw.url);
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      const res = await browser.submit(await browser.get('/device'), { user_code: code.user_code });
      expect(res.status).toBe(400);
    }
    expect((await browser.submit(await browser.get('/device'), { user_code: 'BBBB-BBBB' })).status).toBe(400);
  });

  test('a right code does not use up an attempt of its address', async () => {
    const browser = new Browser(gw.url);
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      const code = await deviceCode();
      expect((await browser.submit(await browser.get('/device'), { user_code: code.user_code })).status).toBe(303);
    }
  });
});
