import { form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// The gateway's error answers carry the same protective headers as its other answers: a browser
// must not sniff an error body into HTML or script (X-Content-Type-Options), and no cache may keep
// it (Cache-Control: no-store). An upstream's own answers keep what the upstream sent.

let gw: TestGateway;
let upstream: TestUpstream;

beforeAll(async () => {
  upstream = await startUpstream('api', (req, res) => {
    if (req.url !== '/open/missing') return false;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('upstream says no');
    return true;
  });
  gw = await startTestGateway({
    config: {
      routes: [
        { prefix: '/open', upstream: upstream.url, accept: ['public'] },
        { prefix: '/api', upstream: upstream.url },
      ],
    },
  });
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

function expectProtected(res: { status: number; headers: Headers }, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
}

test('a 404 for a path no route matches', async () => {
  const res = await gw.request('/nowhere');
  expectProtected(res, 404);
  expect(res.json).toEqual({ error: 'not_found', error_description: 'No route matches this path.' });
});

test('an RFC 6749 JSON error from the token endpoint', async () => {
  const f = form({ grant_type: 'password' });
  const res = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers });
  expectProtected(res, 401);
  expect(res.json.error).toBe('invalid_client');
});

test('an RFC 6750 refusal on a protected route', async () => {
  const res = await gw.request('/api/things', { headers: { authorization: 'Bearer not-a-token' } });
  expectProtected(res, 401);
  expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
});

test('an OAuth 1.0a problem report', async () => {
  const res = await gw.request('/oauth/request_token', { method: 'POST', headers: { authorization: 'OAuth oauth_consumer_key="nobody"' } });
  expect(res.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
  expect(res.text).toContain('oauth_problem=');
  expectProtected(res, res.status);
  expect(res.status).toBeGreaterThanOrEqual(400);
});

test('a request the gateway cannot parse (a malformed JSON token request)', async () => {
  const res = await gw.request('/oauth2/token', { method: 'POST', body: '{"grant_type":', headers: { 'content-type': 'application/json' } });
  expectProtected(res, 400);
});

test("an upstream's own error answer is passed on as the upstream sent it", async () => {
  const res = await gw.request('/open/missing');
  expect(res.status).toBe(404);
  expect(res.text).toBe('upstream says no');
  expect(res.headers.get('x-content-type-options')).toBeNull();
  expect(res.headers.get('cache-control')).toBeNull();
});
