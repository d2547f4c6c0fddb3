import { form } from '../helpers/gateway';
import { Browser, OAuth1Client, parseFormBody, startOAuth1Gateway, xauthAccess, type OAuth1Gateway, type Token } from '../helpers/oauth1';
import { throwawayRedis, type ThrowawayRedis } from '../helpers/redis';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// One refusal, many formats: a shared-cache outage is mapped once (503 temporarily_unavailable with
// Retry-After) and every route answers it in the format it declares: RFC 6749 JSON on the token
// endpoint, Problem Details on the ClearPass API, a problem report to OAuth 1.0a clients (on the
// gateway's endpoints and on a proxied route), an HTML page in the browser.

const problemType = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html';
const alice = { username: 'alice', password: 'alice-password-1' };

let redis: ThrowawayRedis;
let upstream: TestUpstream;
let gw: OAuth1Gateway;
let xauthClient: OAuth1Client;
let accessToken: Token;

beforeAll(async () => {
  redis = await throwawayRedis();
  upstream = await startUpstream('api');
  gw = await startOAuth1Gateway({ cache: 'redis', redisUrl: redis.url, config: { routes: [{ prefix: '/things', upstream: upstream.url }] } });
  const profile = await gw.fixtures.profile('staff', ['api_access']);
  await gw.fixtures.user(alice.username, alice.password, { profile });
  await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password', public: true });
  xauthClient = new OAuth1Client(gw, await gw.consumer({ name: 'Trusted', xauth: true }), 'HMAC-SHA1', 'body');
  ({ token: accessToken } = await xauthAccess(xauthClient, alice));
  // Verified once while Redis answered, so the token sits in the process cache from here on.
  expect((await new OAuth1Client(gw, xauthClient.consumer).send('GET', '/things/mine', {}, accessToken)).status).toBe(200);
  await redis.kill();
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
  await redis?.dispose();
});

function expectRetryLater(headers: Headers): void {
  expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
  expect(headers.get('cache-control')).toBe('no-store');
}

test('the token endpoint answers RFC 6749 JSON 503 temporarily_unavailable', async () => {
  const f = form({ grant_type: 'password', username: alice.username, password: alice.password, client_id: 'app' });
  const res = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers });
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.json).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
  expectRetryLater(res.headers);
});

test('the ClearPass API answers Problem Details 503', async () => {
  const body = JSON.stringify({ grant_type: 'password', username: alice.username, password: alice.password, client_id: 'app' });
  const res = await gw.request('/api/oauth', { method: 'POST', body, headers: { 'content-type': 'application/json', accept: 'application/json' } });
  expect(res.status).toBe(503);
  expect(res.json).toEqual({ type: problemType, title: 'temporarily_unavailable', status: 503, detail: expect.any(String) });
  expectRetryLater(res.headers);
});

test('an OAuth 1.0a endpoint answers a problem report 503, without an oauth_problem the extension does not define', async () => {
  const res = await new OAuth1Client(gw, xauthClient.consumer).send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
  expect(Object.keys(res.form)).toEqual(['oauth_problem_advice']);
  expectRetryLater(res.headers);
});

test('an OAuth 1.0a request on a proxied route gets its problem report too, and never reaches the upstream', async () => {
  const before = upstream.seen.length;
  const res = await new OAuth1Client(gw, xauthClient.consumer).send('GET', '/things/mine', {}, accessToken);
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
  expect(parseFormBody(res.text).oauth_problem_advice).toEqual(expect.any(String));
  expectRetryLater(res.headers);
  expect(upstream.seen.length).toBe(before);
});

test('the login page answers an HTML page 503, with the page headers', async () => {
  const browser = new Browser(gw.url);
  const page = await browser.get('/login');
  expect(page.status).toBe(200);
  const res = await browser.submit(page, { username: alice.username, password: alice.password });
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.text).toContain('<h1>Please try again shortly</h1>');
  expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
  expectRetryLater(res.headers);
});

test('the device code page answers an HTML page 503 as well', async () => {
  const browser = new Browser(gw.url);
  const page = await browser.get('/device');
  const res = await browser.submit(page, { user_code: 'BCDF-GHJK' });
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expectRetryLater(res.headers);
});

test('no secret, password or token appears in the logs', () => {
  expect(gw.leakedSecrets()).toEqual([]);
});
