import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// CORS for proxied routes, from the same allowed-origins setting as the token endpoints.

let gateway: TestGateway;
let upstream: TestUpstream;

beforeAll(async () => {
  upstream = await startUpstream('api', (_req, res, seen) => {
    if (!seen.url.startsWith('/open/cors')) return false;
    // An upstream with a wide-open policy of its own: the gateway's must win.
    res.writeHead(200, { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true', vary: 'Accept-Encoding', 'content-length': '2' });
    res.end('{}');
    return true;
  });
  gateway = await startTestGateway({
    config: {
      cors: { allowedOrigins: ['https://app.example.com', '*.partner.example'] },
      routes: [
        { prefix: '/api', upstream: upstream.url, accept: ['oauth2'] },
        { prefix: '/open', upstream: upstream.url, accept: ['public'] },
      ],
    },
  });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const preflight = (origin: string, path = '/api/posts') =>
  gateway.request(path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-trace' },
  });

test('a preflight from an allowed origin is answered by the gateway, without a credential', async () => {
  const before = upstream.seen.length;
  const res = await preflight('https://app.example.com');
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-trace');
  expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  expect(res.headers.get('vary')).toMatch(/Origin/);
  expect(upstream.seen.length).toBe(before);
});

test('a preflight from a subdomain of a wildcard entry is allowed', async () => {
  const res = await preflight('https://eu.shop.partner.example');
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe('https://eu.shop.partner.example');
});

test('a preflight from an origin not on the list is 403 without any CORS field', async () => {
  const res = await preflight('https://evil.example');
  expect(res.status).toBe(403);
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
});

test('the bare wildcard-entry domain itself is not a subdomain of it', async () => {
  const res = await preflight('https://partner.example');
  expect(res.status).toBe(403);
});

test('an actual request from an allowed origin gets the origin echoed on the proxied response', async () => {
  const res = await gateway.request('/open/page', { headers: { origin: 'https://app.example.com' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
});

test('a refused request from an allowed origin carries CORS fields so the script can read the 401', async () => {
  const res = await gateway.request('/api/posts', { headers: { origin: 'https://app.example.com' } });
  expect(res.status).toBe(401);
  expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
});

test('an actual request from another origin is proxied without CORS fields', async () => {
  const res = await gateway.request('/open/page', { headers: { origin: 'https://evil.example' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
});

test("the upstream's own CORS fields are replaced by the gateway's, and Vary keeps both", async () => {
  const evil = await gateway.request('/open/cors', { headers: { origin: 'https://evil.example' } });
  expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
  const good = await gateway.request('/open/cors', { headers: { origin: 'https://app.example.com' } });
  expect(good.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  expect(good.headers.get('vary')).toMatch(/Accept-Encoding/);
  expect(good.headers.get('vary')).toMatch(/Origin/);
});

test('OPTIONS without the preflight fields is an ordinary request and needs a credential', async () => {
  const res = await gateway.request('/api/posts', { method: 'OPTIONS' });
  expect(res.status).toBe(401);
});
