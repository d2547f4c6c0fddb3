import { form } from '../helpers/gateway';
import { startOAuth1Gateway, type OAuth1Gateway } from '../helpers/oauth1';
import { Browser, authorizePath, isLoginPage, pkcePair, queryOf } from '../helpers/browser';

// Issue 11, item 7: every parameter of the browser flows has a size cap, and so has the request as a
// whole. A value over its cap is invalid_request at the client when the client and its redirect URI
// are trusted, our own error page when they are not (client_id, redirect_uri) or when the request as
// a whole is too big; the gateway looks nothing up for a value it already knows is too long.

let gw: OAuth1Gateway;
const callback = 'https://app.example/cb';
// A client whose requests can be near every cap at once: a long redirect URI, 400 scopes.
const wideCallback = `https://wide.example/cb/${'w'.repeat(1500)}`;
const wideScopes = Array.from({ length: 400 }, (_, i) => `s${String(i).padStart(3, '0')}`);

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: [callback], scopes: 'read,write' });
  await gw.fixtures.client({ id: 'tv', name: 'Living Room TV', grants: 'device_code', public: true, scopes: 'read' });
  await gw.fixtures.client({ id: 'wide', name: 'Wide', grants: 'authorization_code', redirectUris: [wideCallback], scopes: wideScopes.join(',') });
});

afterAll(async () => {
  await gw?.close();
});

const web = (extra: Record<string, string> = {}) => ({ client_id: 'web', response_type: 'code', redirect_uri: callback, state: 's-1', ...extra });
const get = (params: Record<string, string>) => new Browser(gw.url).get(authorizePath(params));

/** The error sent back to the client (a 302 to its redirect URI). */
async function clientError(params: Record<string, string>): Promise<URLSearchParams> {
  const res = await get(params);
  expect(res.status).toBe(302);
  expect(res.location?.startsWith(callback + '?')).toBe(true);
  return queryOf(res.location);
}

describe('GET /oauth2/authorize', () => {
  test('a state of 4096 bytes is accepted', async () => {
    expect(isLoginPage(await get(web({ state: 's'.repeat(4096) })))).toBe(true);
  });

  test('a state of 4096 bytes in multi-byte characters is accepted', async () => {
    expect(isLoginPage(await get(web({ state: 'é'.repeat(2048) })))).toBe(true);
  });

  test('a state over 4096 bytes is invalid_request, and is not echoed back', async () => {
    const q = await clientError(web({ state: 's'.repeat(4097) }));
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toContain('state');
    expect(q.has('state')).toBe(false);
    expect(q.get('iss')).toBe(gw.url);
  });

  test('a state with a control character is invalid_request, and is not echoed back', async () => {
    const q = await clientError(web({ state: 'line\nbreak' }));
    expect([q.get('error'), q.has('state')]).toEqual(['invalid_request', false]);
  });

  test.each([
    ['scope', 2049],
    ['nonce', 513],
    ['login_hint', 256],
    ['code_challenge_method', 17],
    ['some_extension', 4097],
  ])('%s over its cap (%d bytes) is invalid_request with the state echoed', async (name, size) => {
    const q = await clientError(web({ [name]: 'a'.repeat(size) }));
    expect([q.get('error'), q.get('state')]).toEqual(['invalid_request', 's-1']);
    expect(q.get('error_description')).toContain(name === 'some_extension' ? 'parameter' : name);
  });

  test('a code_challenge longer than 128 characters is invalid_request', async () => {
    const q = await clientError(web({ code_challenge: 'a'.repeat(129), code_challenge_method: 'S256' }));
    expect(q.get('error')).toBe('invalid_request');
  });

  test('values at their caps are accepted', async () => {
    const { challenge } = pkcePair();
    const page = await get(web({ nonce: 'n'.repeat(512), login_hint: 'h'.repeat(255), code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(isLoginPage(page)).toBe(true);
  });

  test('a request within every cap but too large to carry through the sign-in page is invalid_request', async () => {
    // 3,900 quotes: within the state cap, but each doubles in the signed way back from the login page.
    const res = await get({ client_id: 'wide', response_type: 'code', redirect_uri: wideCallback, scope: wideScopes.join(' '), state: '"'.repeat(3900) });
    expect(res.status).toBe(302);
    expect(res.location?.startsWith(wideCallback + '?')).toBe(true);
    const q = queryOf(res.location);
    expect([q.get('error'), q.get('state')]).toEqual(['invalid_request', '"'.repeat(3900)]);
  });

  test('a client_id over 255 bytes is our own error page, without a database lookup', async () => {
    const calls = gw.storeCalls();
    const res = await get(web({ client_id: 'c'.repeat(256) }));
    expect([res.status, res.location]).toEqual([400, null]);
    expect(res.text).toContain('too long');
    expect(gw.storeCalls()).toBe(calls);
  });

  test('a redirect_uri over 2048 bytes is our own error page', async () => {
    const res = await get(web({ redirect_uri: `${callback}?${'x'.repeat(2048)}` }));
    expect([res.status, res.location]).toEqual([400, null]);
    expect(res.text).toContain('too long');
  });

  test('more than 50 parameters are refused on our own page', async () => {
    const extra = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`x${i}`, '1']));
    const res = await get(web(extra));
    expect([res.status, res.location]).toEqual([400, null]);
  });

  test('a POSTed request over 32 KiB is refused with 413 on our own page', async () => {
    const body = new URLSearchParams({ ...web(), padding: 'p'.repeat(33 * 1024) }).toString();
    const res = await fetch(`${gw.url}/oauth2/authorize`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(res.status).toBe(413);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toContain('text/html');
  });
});

describe('POST /oauth2/device_authorization', () => {
  async function deviceAuthorization(values: Record<string, string>) {
    const f = form(values);
    return gw.request('/oauth2/device_authorization', { method: 'POST', body: f.body, headers: f.headers });
  }

  test('a scope over 2048 bytes is invalid_request', async () => {
    const res = await deviceAuthorization({ client_id: 'tv', scope: 'read '.repeat(410) });
    expect([res.status, res.json?.error]).toEqual([400, 'invalid_request']);
    expect(res.json.error_description).toContain('scope');
  });

  test('a client_id over 255 bytes is invalid_request, without a database lookup', async () => {
    const calls = gw.storeCalls();
    const res = await deviceAuthorization({ client_id: 'c'.repeat(256) });
    expect([res.status, res.json?.error]).toEqual([400, 'invalid_request']);
    expect(gw.storeCalls()).toBe(calls);
  });
});

describe('GET /device', () => {
  test('an oversized user_code in the link is not put into the page', async () => {
    const res = await new Browser(gw.url).get(`/device?user_code=${'B'.repeat(100)}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('B'.repeat(100));
  });
});

describe('GET /oauth/user_auth', () => {
  test('an oauth_token over 255 bytes is our own error page, without a database lookup', async () => {
    const calls = gw.storeCalls();
    const res = await new Browser(gw.url).get(`/oauth/user_auth?oauth_token=${'t'.repeat(256)}`);
    expect([res.status, res.location]).toEqual([400, null]);
    expect(gw.storeCalls()).toBe(calls);
  });
});
