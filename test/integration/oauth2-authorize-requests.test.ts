import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { Browser, authorizePath, decide, isConsentPage, isLoginPage, openAuthorization, pkcePair, queryOf, fragmentOf } from '../helpers/browser';

// GET/POST /oauth2/authorize over real HTTP: which refusals stay on our own page (never a
// redirect), which go back to the client with error, error_description, state and iss, and the
// request checks of RFC 6749, RFC 7636 and RFC 9700.

let gw: TestGateway;
const alice = { username: 'alice', password: 'alice-password-1' };
const webCallback = 'https://app.example/cb';
const spaCallback = 'https://spa.example/cb';

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: [webCallback, 'https://app.example/other'], scopes: 'read,write' });
  await gw.fixtures.client({ id: 'spa', name: 'Single Page', grants: 'authorization_code', public: true, implicit: true, redirectUris: [spaCallback], scopes: 'read' });
  await gw.fixtures.client({ id: 'plain', name: 'Old App', grants: 'authorization_code', public: true, allowPlainPkce: true, redirectUris: [spaCallback] });
  await gw.fixtures.client({ id: 'off', name: 'Disabled', grants: 'authorization_code', redirectUris: [webCallback] });
  await gw.deps.store.clients.setEnabled('off', false);
});

afterAll(async () => {
  await gw?.close();
});

const webRequest = { client_id: 'web', response_type: 'code', redirect_uri: webCallback, state: 's-1' };

async function get(params: Record<string, string>) {
  return new Browser(gw.url).get(authorizePath(params));
}

/** A refusal the client gets back: a 302 to its redirect URI. */
async function clientError(params: Record<string, string>, where: 'query' | 'fragment' = 'query') {
  const res = await get(params);
  expect(res.status).toBe(302);
  return where === 'query' ? queryOf(res.location) : fragmentOf(res.location);
}

describe('refusals shown on our own page, never redirected', () => {
  test('an unknown client gets a 400 page and no Location', async () => {
    const res = await get({ ...webRequest, client_id: 'nobody' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('This application is not known');
  });

  test('a disabled client gets a 400 page and no Location', async () => {
    const res = await get({ ...webRequest, client_id: 'off' });
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
  });

  test('a missing client_id gets a 400 page', async () => {
    const res = await get({ response_type: 'code', redirect_uri: webCallback });
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
  });

  test('an unregistered redirect_uri gets a 400 page and no Location', async () => {
    const res = await get({ ...webRequest, redirect_uri: 'https://evil.example/cb' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.text).toContain('wrong return address');
    expect(res.text).not.toContain('evil.example');
  });

  test('a redirect_uri that only starts like a registered one is refused', async () => {
    const res = await get({ ...webRequest, redirect_uri: webCallback + '/../evil' });
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
  });

  test('an omitted redirect_uri with several registered is refused locally', async () => {
    const { redirect_uri: _omitted, ...rest } = webRequest;
    const res = await get(rest);
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
  });

  test('a duplicated redirect_uri is refused locally', async () => {
    const res = await new Browser(gw.url).get(`${authorizePath(webRequest)}&redirect_uri=${encodeURIComponent(webCallback)}`);
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
  });

  test('the error page carries the page security headers', async () => {
    const res = await get({ ...webRequest, client_id: 'nobody' });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('refusals sent back to the client', () => {
  test('an unknown response_type is unsupported_response_type with state and iss', async () => {
    const q = await clientError({ ...webRequest, response_type: 'code id_token' });
    expect(q.get('error')).toBe('unsupported_response_type');
    expect(q.get('error_description')).toEqual(expect.any(String));
    expect(q.get('state')).toBe('s-1');
    expect(q.get('iss')).toBe(gw.url);
  });

  test('the error goes to the registered redirect URI', async () => {
    const res = await get({ ...webRequest, response_type: 'nope' });
    expect((res.location as string).startsWith(webCallback + '?')).toBe(true);
  });

  test('response_type=token for a client without implicit is unauthorized_client, in the fragment', async () => {
    expect((await clientError({ ...webRequest, response_type: 'token' }, 'fragment')).get('error')).toBe('unauthorized_client');
  });

  test('a scope beyond the client is invalid_scope', async () => {
    expect((await clientError({ ...webRequest, scope: 'read admin' })).get('error')).toBe('invalid_scope');
  });

  test('a duplicated parameter is invalid_request', async () => {
    const res = await new Browser(gw.url).get(`${authorizePath(webRequest)}&scope=read&scope=write`);
    expect(res.status).toBe(302);
    expect(queryOf(res.location).get('error')).toBe('invalid_request');
  });

  test('a duplicated state is invalid_request and no state is echoed', async () => {
    const res = await new Browser(gw.url).get(`${authorizePath(webRequest)}&state=other`);
    const q = queryOf(res.location);
    expect([q.get('error'), q.has('state')]).toEqual(['invalid_request', false]);
  });

  test('a public client without PKCE is invalid_request', async () => {
    const q = await clientError({ client_id: 'spa', response_type: 'code', state: 'p' });
    expect([q.get('error'), q.get('state')]).toEqual(['invalid_request', 'p']);
  });

  test('a plain challenge is refused for a client that must use S256', async () => {
    const { verifier } = pkcePair();
    const q = await clientError({ client_id: 'spa', response_type: 'code', code_challenge: verifier, code_challenge_method: 'plain' });
    expect(q.get('error')).toBe('invalid_request');
  });

  test('a challenge without a method counts as plain and is refused for an S256 client', async () => {
    const { challenge } = pkcePair();
    expect((await clientError({ client_id: 'spa', response_type: 'code', code_challenge: challenge })).get('error')).toBe('invalid_request');
  });

  test('a malformed challenge is invalid_request', async () => {
    const q = await clientError({ client_id: 'spa', response_type: 'code', code_challenge: 'too-short', code_challenge_method: 'S256' });
    expect(q.get('error')).toBe('invalid_request');
  });

  test('an implicit request error goes in the fragment', async () => {
    const res = await get({ client_id: 'spa', response_type: 'token', scope: 'write', state: 'f' });
    expect(res.status).toBe(302);
    const location = new URL(res.location as string);
    expect(location.search).toBe('');
    const f = fragmentOf(res.location);
    expect([f.get('error'), f.get('state'), f.get('iss')]).toEqual(['invalid_scope', 'f', gw.url]);
  });

  test('the redirect is not cached and sends no referrer', async () => {
    const res = await get({ ...webRequest, scope: 'admin' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('accepted requests', () => {
  test('a valid request from a signed-out browser shows the login page naming the client', async () => {
    const res = await get(webRequest);
    expect(isLoginPage(res)).toBe(true);
    expect(res.text).toContain('Web App');
  });

  test('the login page allows its form to end at the client (CSP form-action)', async () => {
    const res = await get(webRequest);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self' https://app.example");
  });

  test('a plain challenge is accepted for a client registered for plain', async () => {
    const { verifier } = pkcePair();
    const res = await get({ client_id: 'plain', response_type: 'code', code_challenge: verifier, code_challenge_method: 'plain' });
    expect(isLoginPage(res)).toBe(true);
  });

  test('POST with a form body continues as a GET with the same parameters (303)', async () => {
    const browser = new Browser(gw.url);
    const posted = await browser.post('/oauth2/authorize', webRequest);
    expect(posted.status).toBe(303);
    const target = new URL(posted.location as string, gw.url);
    expect(target.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(target.searchParams)).toEqual(webRequest);
  });

  test('POST errors for the client are 303s to the client', async () => {
    const posted = await new Browser(gw.url).post('/oauth2/authorize', { ...webRequest, scope: 'admin' });
    expect(posted.status).toBe(303);
    expect(queryOf(posted.location).get('error')).toBe('invalid_scope');
  });

  test('POST with a duplicated parameter is invalid_request at the client', async () => {
    const res = await fetch(`${gw.url}/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `${new URLSearchParams(webRequest)}&response_type=code`,
    });
    expect(res.status).toBe(303);
    expect(queryOf(res.headers.get('location')).get('error')).toBe('invalid_request');
  });

  test('POST for an unknown client is a local page', async () => {
    const posted = await new Browser(gw.url).post('/oauth2/authorize', { ...webRequest, client_id: 'nobody' });
    expect([posted.status, posted.location]).toEqual([400, null]);
  });

  test('after signing in the consent page names the client and the scopes', async () => {
    const consent = await openAuthorization(new Browser(gw.url), { ...webRequest, scope: 'read write' }, alice);
    expect(isConsentPage(consent)).toBe(true);
    expect(consent.text).toContain('Web App');
    expect(consent.text).toContain('<code>read</code>');
    expect(consent.text).toContain('<code>write</code>');
    expect(consent.text).toContain('alice');
  });
});

test('no password or token reaches the logs', async () => {
  const logs = logWindow(gw);
  // Sign-in, consent and an implicit answer (the token in a Location header), and a refusal.
  const browser = new Browser(gw.url);
  const consent = await openAuthorization(browser, { client_id: 'spa', response_type: 'token', state: 'log' }, alice);
  const answer = await decide(browser, consent, 'approve');
  gw.remember(fragmentOf(answer.location).get('access_token'));
  expect((await get({ ...webRequest, client_id: 'nobody' })).status).toBe(400);
  expect(logs.text()).toContain('/oauth2/authorize');
  expect(logs.leakedSecrets()).toEqual([]);
});
