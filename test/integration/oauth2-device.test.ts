import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, decide, isConsentPage, isLoginPage, throughLogin, type PageResult } from '../helpers/browser';
import { tokenDigest } from '../../src/crypto';
import { logWindow } from '../helpers/log-window';

// The device authorization grant (RFC 8628) over real HTTP: the device's requests, the /device
// pages a person uses on another screen, and every answer of the token endpoint's polling.

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
let gw: TestGateway;
let boxSecret: string;
const alice = { username: 'alice', password: 'alice-password-1' };

beforeAll(async () => {
  // A generous entry limit here: the limit itself is tested on its own gateway below.
  gw = await startTestGateway({ config: { login: { maxFailures: 50, maxFailuresPerAddress: 50, lockSeconds: 300 } } });
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'tv', name: 'Living Room TV', grants: 'device_code', public: true, scopes: 'read,write' });
  boxSecret = (await gw.fixtures.client({ id: 'box', name: 'Set-top Box', grants: 'device_code,refresh_token', scopes: 'read' })).secret!;
  await gw.fixtures.client({ id: 'spa', name: 'Web App', grants: 'authorization_code', public: true, redirectUris: ['https://app.example/cb'] });
});

afterAll(async () => {
  await gw?.close();
});

function post(path: string, values: Record<string, string>, headers: Record<string, string> = {}) {
  const f = form(values);
  return gw.request(path, { method: 'POST', body: f.body, headers: { ...f.headers, ...headers } });
}

async function startDevice(values: Record<string, string> = { client_id: 'tv' }, headers: Record<string, string> = {}) {
  const res = await post('/oauth2/device_authorization', values, headers);
  if (res.status === 200) gw.remember(res.json.device_code);
  return res;
}

const poll = (deviceCode: string, clientId = 'tv') => post('/oauth2/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId });

/** The user's browser: types the code, signs in, and arrives at the approve-or-deny page. */
async function enterCode(browser: Browser, userCode: string): Promise<PageResult> {
  const entry = await browser.get('/device');
  const submitted = await browser.submit(entry, { user_code: userCode });
  if (submitted.status !== 303) return submitted;
  return throughLogin(browser, await browser.get(submitted.location as string), alice);
}

async function userDecides(userCode: string, decision: 'approve' | 'deny'): Promise<PageResult> {
  const browser = new Browser(gw.url);
  const answer = await decide(browser, await enterCode(browser, userCode), decision);
  expect(answer.status).toBe(303);
  return browser.get(answer.location as string);
}

describe('device authorization request', () => {
  test('answers device_code, user_code, verification URIs, expires_in and interval', async () => {
    const res = await startDevice();
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      device_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user_code: expect.stringMatching(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/),
      verification_uri: `${gw.url}/device`,
      verification_uri_complete: `${gw.url}/device?user_code=${res.json.user_code}`,
      expires_in: 600,
      interval: 5,
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('a confidential client authenticates with HTTP Basic', async () => {
    expect((await startDevice({}, { authorization: basicAuth('box', boxSecret) })).status).toBe(200);
  });

  test('a wrong secret is invalid_client', async () => {
    const res = await startDevice({}, { authorization: basicAuth('box', 'wrong') });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });

  test('a client without the device grant is unauthorized_client', async () => {
    const res = await startDevice({ client_id: 'spa' });
    expect([res.status, res.json.error]).toEqual([400, 'unauthorized_client']);
  });

  test('an unknown client is invalid_client', async () => {
    expect((await startDevice({ client_id: 'nobody' })).json.error).toBe('invalid_client');
  });

  test('a scope beyond the client is invalid_scope', async () => {
    expect((await startDevice({ client_id: 'tv', scope: 'admin' })).json.error).toBe('invalid_scope');
  });

  test('a repeated parameter is invalid_request', async () => {
    const res = await gw.request('/oauth2/device_authorization', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=tv&scope=read&scope=write',
    });
    expect(res.json.error).toBe('invalid_request');
  });

  test('GET is not allowed', async () => {
    expect((await gw.request('/oauth2/device_authorization')).status).toBe(405);
  });
});

describe('polling', () => {
  test('before the user decides: authorization_pending', async () => {
    const { json } = await startDevice();
    const res = await poll(json.device_code);
    expect([res.status, res.json.error]).toEqual([400, 'authorization_pending']);
  });

  test('polling faster than the interval is slow_down and adds 5 seconds to the interval', async () => {
    const { json } = await startDevice();
    await poll(json.device_code);
    gw.clock.advance(2_000);
    expect((await poll(json.device_code)).json.error).toBe('slow_down');
    expect((await gw.deps.store.deviceCodes.find(tokenDigest(json.device_code)))?.interval).toBe(10);
  });

  test('after slow_down the longer interval applies', async () => {
    const { json } = await startDevice();
    await poll(json.device_code);
    gw.clock.advance(1_000);
    await poll(json.device_code); // slow_down: the interval is now 10 s
    gw.clock.advance(6_000);
    expect((await poll(json.device_code)).json.error).toBe('slow_down');
    gw.clock.advance(16_000);
    expect((await poll(json.device_code)).json.error).toBe('authorization_pending');
  });

  test('polling at the interval is never slowed down', async () => {
    const { json } = await startDevice();
    for (let i = 0; i < 3; i++) {
      expect((await poll(json.device_code)).json.error).toBe('authorization_pending');
      gw.clock.advance(5_000);
    }
  });

  test('approved: the tokens, once; a second poll is invalid_grant', async () => {
    const { json } = await startDevice();
    await userDecides(json.user_code, 'approve');
    const first = await poll(json.device_code);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 28800, scope: 'read write' });
    const who = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${first.json.access_token}` } });
    expect(who.json).toMatchObject({ username: 'alice', clientId: 'tv' });
    gw.clock.advance(5_000);
    const second = await poll(json.device_code);
    expect([second.status, second.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('a client allowed refresh tokens gets one', async () => {
    const { json } = await startDevice({}, { authorization: basicAuth('box', boxSecret) });
    await userDecides(json.user_code, 'approve');
    const res = await post('/oauth2/token', { grant_type: DEVICE_GRANT, device_code: json.device_code }, { authorization: basicAuth('box', boxSecret) });
    expect(res.json.refresh_token).toEqual(expect.any(String));
  });

  test('denied: access_denied', async () => {
    const { json } = await startDevice();
    await userDecides(json.user_code, 'deny');
    expect((await poll(json.device_code)).json.error).toBe('access_denied');
  });

  test('expired: expired_token (manual clock)', async () => {
    const { json } = await startDevice();
    gw.clock.advance(601_000);
    expect((await poll(json.device_code)).json.error).toBe('expired_token');
  });

  test('another client polling the code is invalid_grant', async () => {
    const { json } = await startDevice();
    const res = await post('/oauth2/token', { grant_type: DEVICE_GRANT, device_code: json.device_code }, { authorization: basicAuth('box', boxSecret) });
    expect(res.json.error).toBe('invalid_grant');
  });

  test('an unknown device code is invalid_grant', async () => {
    expect((await poll('no-such-device-code')).json.error).toBe('invalid_grant');
  });

  test('a missing device_code is invalid_request', async () => {
    expect((await post('/oauth2/token', { grant_type: DEVICE_GRANT, client_id: 'tv' })).json.error).toBe('invalid_request');
  });
});

describe('the /device pages', () => {
  test('verification_uri_complete shows the entry page with the code filled in', async () => {
    const { json } = await startDevice();
    const page = await new Browser(gw.url).get(new URL(json.verification_uri_complete).pathname + new URL(json.verification_uri_complete).search);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${json.user_code}"`);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  test('the code is accepted in lower case without the dash', async () => {
    const { json } = await startDevice();
    const page = await enterCode(new Browser(gw.url), json.user_code.replace('-', '').toLowerCase());
    expect(isConsentPage(page)).toBe(true);
  });

  test('a valid code leads to the login page naming the client', async () => {
    const { json } = await startDevice();
    const browser = new Browser(gw.url);
    const submitted = await browser.submit(await browser.get('/device'), { user_code: json.user_code });
    expect(submitted.status).toBe(303);
    const login = await browser.get(submitted.location as string);
    expect(isLoginPage(login)).toBe(true);
    expect(login.text).toContain('Living Room TV');
  });

  test('the approve page names the client and the scopes', async () => {
    const { json } = await startDevice({ client_id: 'tv', scope: 'read' });
    const page = await enterCode(new Browser(gw.url), json.user_code);
    expect(page.text).toContain('Living Room TV');
    expect(page.text).toContain('<code>read</code>');
    expect(page.text).not.toContain('<code>write</code>');
  });

  test('approving ends on the done page', async () => {
    const { json } = await startDevice();
    const done = await userDecides(json.user_code, 'approve');
    expect(done.status).toBe(200);
    expect(done.text).toContain('Device connected');
  });

  test('a wrong code shows the entry page again with an error', async () => {
    const browser = new Browser(gw.url);
    const res = await browser.submit(await browser.get('/device'), { user_code: 'BBBB-BBBB' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('not valid');
    expect(res.text).toContain('value="BBBB-BBBB"');
  });

  test('a code already decided is not accepted again', async () => {
    const { json } = await startDevice();
    await userDecides(json.user_code, 'approve');
    const browser = new Browser(gw.url);
    expect((await browser.submit(await browser.get('/device'), { user_code: json.user_code })).status).toBe(400);
  });

  test('an expired code is not accepted', async () => {
    const { json } = await startDevice();
    gw.clock.advance(601_000);
    const browser = new Browser(gw.url);
    expect((await browser.submit(await browser.get('/device'), { user_code: json.user_code })).status).toBe(400);
  });

  test('the confirmation link works only in the browser that entered the code', async () => {
    const { json } = await startDevice();
    const mine = new Browser(gw.url);
    const submitted = await mine.submit(await mine.get('/device'), { user_code: json.user_code });
    expect(submitted.status).toBe(303);
    const res = await new Browser(gw.url).get(submitted.location as string);
    expect([res.status, res.location]).toEqual([400, null]);
    expect(isLoginPage(await mine.get(submitted.location as string))).toBe(true);
  });

  test('entering a code without the CSRF token is refused', async () => {
    const { json } = await startDevice();
    const res = await new Browser(gw.url).post('/device', { user_code: json.user_code });
    expect(res.status).toBe(403);
  });
});

describe('code entry limit', () => {
  let limited: TestGateway;
  beforeAll(async () => {
    limited = await startTestGateway({ config: { login: { maxFailures: 3, maxFailuresPerAddress: 3, lockSeconds: 300 } } });
    await limited.fixtures.client({ id: 'tv', name: 'TV', grants: 'device_code', public: true });
  });
  afterAll(async () => {
    await limited?.close();
  });

  test('past the limit of wrong codes the page answers 429 with Retry-After, even for a right code', async () => {
    const logs = logWindow(limited);
    const res = await limited.request('/oauth2/device_authorization', { method: 'POST', ...form({ client_id: 'tv' }) });
    limited.remember(res.json.device_code);
    const browser = new Browser(limited.url);
    for (let i = 0; i < 3; i++) {
      expect((await browser.submit(await browser.get('/device'), { user_code: 'BBBB-BBBB' })).status).toBe(400);
    }
    const refused = await browser.submit(await browser.get('/device'), { user_code: res.json.user_code });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.text).toContain('Too many');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});

test('no device code, token or password reaches the logs', async () => {
  const logs = logWindow(gw);
  const { json } = await startDevice({}, { authorization: basicAuth('box', boxSecret) });
  gw.remember(json.user_code, json.user_code.replace('-', ''));
  const pollBox = () => post('/oauth2/token', { grant_type: DEVICE_GRANT, device_code: json.device_code }, { authorization: basicAuth('box', boxSecret) });
  expect((await pollBox()).json.error).toBe('authorization_pending');
  await userDecides(json.user_code, 'approve');
  gw.clock.advance(5_000);
  const tokens = await pollBox();
  expect(tokens.status).toBe(200);
  expect(tokens.json.refresh_token).toEqual(expect.any(String));
  expect((await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${tokens.json.access_token}` } })).status).toBe(200);
  expect(logs.text()).toContain('/oauth2/device_authorization');
  expect(logs.leakedSecrets()).toEqual([]);
});
