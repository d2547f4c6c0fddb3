import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AuthorizationCode } from 'simple-oauth2';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, authorizePath, decide, isLoginPage, openAuthorization, pkcePair, queryOf, throughLogin } from '../helpers/browser';

// Pushed authorization requests (RFC 9126) over real HTTP: POST /oauth2/par checks the request as
// /oauth2/authorize would and answers a request_uri; /oauth2/authorize takes it once, for its own
// client, within its lifetime; --require-par clients must push. The relying party is openid-client
// 6 (a child process: ESM only), the code exchange simple-oauth2's.

const run = promisify(execFile);
let gw: TestGateway;
let webSecret: string;
let strictSecret: string;
const alice = { username: 'alice', password: 'alice-password-1' };
const callback = 'https://app.example/cb';
const spaCallback = 'https://spa.example/cb';

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.user(alice.username, alice.password);
  webSecret = (await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: [callback], scopes: 'read,write' })).secret!;
  await gw.fixtures.client({ id: 'other', name: 'Other App', grants: 'authorization_code', redirectUris: ['https://other.example/cb'], scopes: 'read' });
  await gw.fixtures.client({ id: 'spa', name: 'Single Page', grants: 'authorization_code', public: true, redirectUris: [spaCallback], scopes: 'read' });
  strictSecret = (await gw.fixtures.client({ id: 'strict', name: 'Strict App', grants: 'authorization_code', redirectUris: [callback], scopes: 'read', requirePar: true })).secret!;
  await gw.fixtures.client({ id: 'multi', name: 'Multi App', grants: 'authorization_code', redirectUris: [callback, 'https://app.example/two'], scopes: 'read' });
});

afterAll(async () => {
  await gw?.close();
});

async function push(values: Record<string, string>, clientId = 'web', secret: string | null = webSecret) {
  const f = form(values);
  const headers = secret === null ? f.headers : { ...f.headers, authorization: basicAuth(clientId, secret) };
  const body = secret === null ? new URLSearchParams({ client_id: clientId, ...values }).toString() : f.body;
  return gw.request('/oauth2/par', { method: 'POST', body, headers });
}

const webRequest = { response_type: 'code', redirect_uri: callback, scope: 'read', state: 'pushed-state' };

async function pushedUri(values: Record<string, string> = webRequest, clientId = 'web', secret: string | null = webSecret): Promise<string> {
  const res = await push(values, clientId, secret);
  expect(res.status).toBe(201);
  return res.json.request_uri;
}

let users = 0;
async function newUser() {
  const user = { username: `par-user-${++users}`, password: `password-${users}-long` };
  await gw.fixtures.user(user.username, user.password);
  return user;
}

describe('POST /oauth2/par', () => {
  test('answers 201 with a request_uri of RFC 9126 shape, its lifetime, and no-store', async () => {
    const res = await push(webRequest);
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ request_uri: expect.stringMatching(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/), expires_in: 60 });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('a wrong client secret is invalid_client (401)', async () => {
    const res = await push(webRequest, 'web', 'not-the-secret');
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });

  test('no client at all is invalid_client', async () => {
    const res = await gw.request('/oauth2/par', { method: 'POST', ...form(webRequest) });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });

  test('a public client pushes with its id alone, and must send PKCE as at authorize', async () => {
    expect((await push({ response_type: 'code', scope: 'read' }, 'spa', null)).json.error).toBe('invalid_request');
    const res = await push({ response_type: 'code', scope: 'read', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }, 'spa', null);
    expect(res.status).toBe(201);
  });

  test.each([
    ['an unregistered redirect_uri', { ...webRequest, redirect_uri: 'https://evil.example/cb' }, 'invalid_request'],
    ['an unsupported response_type (hybrid)', { ...webRequest, response_type: 'code id_token' }, 'unsupported_response_type'],
    ['a scope the client does not have', { ...webRequest, scope: 'admin' }, 'invalid_scope'],
    ['an unknown prompt value', { ...webRequest, prompt: 'select_account' }, 'invalid_request'],
    ['a request_uri inside the pushed request', { ...webRequest, request_uri: 'urn:ietf:params:oauth:request_uri:x' }, 'invalid_request'],
    ['an oversized state', { ...webRequest, state: 'x'.repeat(4097) }, 'invalid_request'],
  ])('%s is refused as authorize would, in JSON (400)', async (_what, values, error) => {
    const res = await push(values as Record<string, string>);
    expect([res.status, res.json.error]).toEqual([400, error]);
    expect(res.text).not.toContain('evil.example');
  });

  test('an implicit request from a client without the implicit grant is unauthorized_client', async () => {
    const res = await push({ ...webRequest, response_type: 'token' });
    expect([res.status, res.json.error]).toEqual([400, 'unauthorized_client']);
  });

  test('more than 50 parameters is invalid_request', async () => {
    const extra = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`x${i}`, 'v']));
    const res = await push({ ...webRequest, ...extra });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test('a body over 32 KiB is 413', async () => {
    const res = await push({ ...webRequest, filler: 'x'.repeat(33 * 1024) });
    expect(res.status).toBe(413);
  });

  test('GET is 405', async () => {
    expect((await gw.request('/oauth2/par')).status).toBe(405);
  });

  test('the client secret is never logged', async () => {
    gw.remember(webSecret);
    const res = await gw.request('/oauth2/par', { method: 'POST', ...form({ ...webRequest, client_id: 'web', client_secret: webSecret }) });
    expect(res.status).toBe(201);
    expect(gw.logText()).not.toContain(webSecret);
  });
});

describe('the metadata', () => {
  test('announces the endpoint and that pushing is not required of every client', async () => {
    const { json } = await gw.request('/.well-known/oauth-authorization-server');
    expect(json.pushed_authorization_request_endpoint).toBe(`${gw.url}/oauth2/par`);
    expect(json.require_pushed_authorization_requests).toBe(false);
  });
});

describe('/oauth2/authorize with a request_uri', () => {
  test('runs the pushed request: login, consent, then the code and the pushed state at the redirect URI', async () => {
    const browser = new Browser(gw.url);
    const consent = await openAuthorization(browser, { client_id: 'web', request_uri: await pushedUri() }, await newUser());
    const answer = await decide(browser, consent, 'approve');
    const q = queryOf(answer.location);
    expect(answer.location?.startsWith(callback + '?')).toBe(true);
    expect([q.get('state'), q.get('iss')]).toEqual(['pushed-state', gw.url]);
    expect(q.get('code')).toEqual(expect.any(String));
  });

  test('every query parameter but client_id is ignored', async () => {
    const browser = new Browser(gw.url);
    const params = { client_id: 'web', request_uri: await pushedUri(), state: 'from-the-query', scope: 'write', redirect_uri: 'https://evil.example/cb' };
    const answer = await decide(browser, await openAuthorization(browser, params, await newUser()), 'approve');
    expect(queryOf(answer.location).get('state')).toBe('pushed-state');
    expect(answer.location?.startsWith(callback + '?')).toBe(true);
  });

  test('a used request_uri is invalid_request_uri at the client', async () => {
    const requestUri = await pushedUri();
    expect(isLoginPage(await new Browser(gw.url).get(authorizePath({ client_id: 'web', request_uri: requestUri })))).toBe(true);
    const replay = await new Browser(gw.url).get(authorizePath({ client_id: 'web', request_uri: requestUri }));
    expect(replay.status).toBe(302);
    const q = queryOf(replay.location);
    expect([q.get('error'), q.has('code'), q.get('iss')]).toEqual(['invalid_request_uri', false, gw.url]);
    expect(replay.location?.startsWith(callback + '?')).toBe(true);
  });

  test("another client's request_uri is refused, and stays good for its own client", async () => {
    const requestUri = await pushedUri();
    const stolen = await new Browser(gw.url).get(authorizePath({ client_id: 'other', request_uri: requestUri }));
    expect(queryOf(stolen.location).get('error')).toBe('invalid_request_uri');
    expect(stolen.location?.startsWith('https://other.example/cb?')).toBe(true);
    expect(isLoginPage(await new Browser(gw.url).get(authorizePath({ client_id: 'web', request_uri: requestUri })))).toBe(true);
  });

  test('an expired request_uri is invalid_request_uri', async () => {
    const requestUri = await pushedUri();
    gw.clock.advance(61_000);
    const res = await new Browser(gw.url).get(authorizePath({ client_id: 'web', request_uri: requestUri }));
    expect(queryOf(res.location).get('error')).toBe('invalid_request_uri');
  });

  test('an unknown request_uri for a client with several redirect URIs is our own page, never a redirect', async () => {
    const res = await new Browser(gw.url).get(authorizePath({ client_id: 'multi', request_uri: 'urn:ietf:params:oauth:request_uri:' + 'A'.repeat(43) }));
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
    expect(res.text).toContain('This request has expired');
  });

  test('a request_uri without client_id is our own page', async () => {
    const res = await new Browser(gw.url).get(authorizePath({ request_uri: await pushedUri() }));
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
  });

  test('a POST with a request_uri goes on as a GET by reference, without using it up', async () => {
    const requestUri = await pushedUri();
    const browser = new Browser(gw.url);
    const res = await gw.request('/oauth2/authorize', { method: 'POST', redirect: 'manual', ...form({ client_id: 'web', request_uri: requestUri, state: 'ignored' }) });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(new URL(location, gw.url).searchParams.toString()).toBe(new URLSearchParams({ client_id: 'web', request_uri: requestUri }).toString());
    expect(isLoginPage(await browser.get(location))).toBe(true);
  });

  test('the pushed request waits in the login page ticket: signing in finishes it though the request_uri is used', async () => {
    const browser = new Browser(gw.url);
    const user = await newUser();
    const login = await browser.get(authorizePath({ client_id: 'web', request_uri: await pushedUri({ ...webRequest, login_hint: user.username }) }));
    expect(login.text).toContain(`value="${user.username}"`);
    const consent = await throughLogin(browser, login, user);
    expect(queryOf((await decide(browser, consent, 'approve')).location).get('state')).toBe('pushed-state');
  });
});

describe('--require-par', () => {
  test('a plain authorization request is invalid_request at the client', async () => {
    const res = await new Browser(gw.url).get(authorizePath({ client_id: 'strict', response_type: 'code', redirect_uri: callback, scope: 'read', state: 's' }));
    expect(res.status).toBe(302);
    const q = queryOf(res.location);
    expect([q.get('error'), q.get('state')]).toEqual(['invalid_request', 's']);
  });

  test('a pushed one is taken', async () => {
    const requestUri = await pushedUri({ ...webRequest, state: 'strict-state' }, 'strict', strictSecret);
    const browser = new Browser(gw.url);
    const answer = await decide(browser, await openAuthorization(browser, { client_id: 'strict', request_uri: requestUri }, await newUser()), 'approve');
    expect(queryOf(answer.location).get('code')).toEqual(expect.any(String));
  });
});

describe('openid-client 6 as the relying party', () => {
  async function parUrl(input: { clientId: string; clientSecret: string | null; params: Record<string, string> }): Promise<any> {
    const child = path.join(__dirname, '..', 'helpers', 'par-client-child.mjs');
    const { stdout } = await run(process.execPath, [child, JSON.stringify({ issuer: gw.url, ...input })], { cwd: path.resolve(__dirname, '..', '..') });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  }

  test('buildAuthorizationUrlWithPAR, then the browser flow, then simple-oauth2 redeems the code with the verifier', async () => {
    const { verifier, challenge } = pkcePair();
    const out = await parUrl({
      clientId: 'web',
      clientSecret: webSecret,
      params: { redirect_uri: callback, scope: 'read', state: 'lib-state', code_challenge: challenge, code_challenge_method: 'S256' },
    });
    expect(out.url).toBeDefined();
    const url = new URL(out.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${gw.url}/oauth2/authorize`);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);

    const browser = new Browser(gw.url);
    const answer = await decide(browser, await throughLogin(browser, await browser.get(url.pathname + url.search), await newUser()), 'approve');
    const q = queryOf(answer.location);
    expect(q.get('state')).toBe('lib-state');

    const library = new AuthorizationCode({
      client: { id: 'web', secret: webSecret },
      auth: { tokenHost: gw.url, tokenPath: '/oauth2/token', authorizePath: '/oauth2/authorize' },
      options: { authorizationMethod: 'header' },
    });
    const token = await library.getToken({ code: q.get('code')!, redirect_uri: callback, code_verifier: verifier } as never);
    expect(token.token.access_token).toEqual(expect.any(String));
    expect(token.token.scope).toBe('read');
  });

  test('a refused push reaches the library as the JSON error', async () => {
    const out = await parUrl({ clientId: 'web', clientSecret: webSecret, params: { redirect_uri: 'https://evil.example/cb', scope: 'read' } });
    expect(out.error).toBe('invalid_request');
  });
});
