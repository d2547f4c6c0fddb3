import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { rawRequest, startUpstream, type TestUpstream } from '../helpers/upstream';

// The proxy itself on public routes (no credential involved): what reaches the upstream, and what
// comes back to the client.

let gateway: TestGateway;
let reads: TestUpstream;
let writes: TestUpstream;
let other: TestUpstream;

beforeAll(async () => {
  [reads, writes, other] = await Promise.all([startUpstream('reads'), startUpstream('writes'), startUpstream('other')]);
  gateway = await startTestGateway({
    config: {
      routes: [
        { prefix: '/api', upstream: reads.url, writeUpstream: writes.url, accept: ['public'] },
        { prefix: '/api/reports', upstream: `${other.url}/v2`, accept: ['public'], stripPrefix: true },
      ],
    },
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([reads.close(), writes.close(), other.close()]);
});

async function echo(path: string, init?: RequestInit) {
  const res = await gateway.request(path, init);
  expect(res.status).toBe(200);
  return { res, seen: res.json as { upstream: string; method: string; url: string; headers: Record<string, string> } };
}

test('a GET reaches the read upstream with its path and query unchanged', async () => {
  const { seen } = await echo('/api/posts/7?sort=new&limit=5');
  expect(seen.upstream).toBe('reads');
  expect(seen.url).toBe('/api/posts/7?sort=new&limit=5');
});

test.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s goes to the write upstream', async (method) => {
  const { seen } = await echo('/api/posts', { method, body: method === 'DELETE' ? undefined : '{}', headers: { 'content-type': 'application/json' } });
  expect(seen.upstream).toBe('writes');
  expect(seen.method).toBe(method);
});

test('HEAD is a safe method and goes to the read upstream', async () => {
  const before = reads.seen.length;
  const res = await gateway.request('/api/posts', { method: 'HEAD' });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-upstream')).toBe('reads');
  expect(reads.seen.length).toBe(before + 1);
});

test('the longest matching prefix wins, and stripPrefix joins the rest onto the upstream base path', async () => {
  const { seen } = await echo('/api/reports/2024?format=csv');
  expect(seen.upstream).toBe('other');
  expect(seen.url).toBe('/v2/2024?format=csv');
});

test('a prefix matches whole segments only: /apix is not under /api', async () => {
  const before = reads.seen.length;
  const res = await gateway.request('/apix/posts');
  expect(res.status).toBe(404);
  expect(res.json.error).toBe('not_found');
  expect(reads.seen.length).toBe(before);
});

test('a path no route matches gets the gateway 404', async () => {
  const res = await gateway.request('/nowhere/at/all');
  expect(res.status).toBe(404);
  expect(res.json).toEqual({ error: 'not_found', error_description: expect.any(String) });
});

test('upstream status, headers and body pass through', async () => {
  const res = await gateway.request('/api/posts');
  expect(res.headers.get('x-upstream')).toBe('reads');
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.json.upstream).toBe('reads');
});

test('the gateway does not impose its own security headers on a proxied response', async () => {
  const res = await gateway.request('/api/posts');
  expect(res.headers.get('content-security-policy')).toBeNull();
  expect(res.headers.get('x-request-id')).toMatch(/.+/);
});

test('the upstream receives the request id, X-Forwarded-For/-Proto/-Host and Via (the host from the listen address, never the Host header)', async () => {
  const res = await rawRequest(gateway.url, { path: '/api/fwd', headers: { host: 'api.example.test', 'x-request-id': 'req-12345678' } });
  const seen = JSON.parse(res.body.toString()).headers;
  expect(seen['x-request-id']).toBe('req-12345678');
  expect(seen['x-forwarded-for']).toBe('127.0.0.1');
  expect(seen['x-forwarded-proto']).toBe('http');
  expect(seen['x-forwarded-host']).toBe(new URL(gateway.url).host);
  expect(seen.via).toBe('1.1 oauth-gateway');
  expect(res.headers.via).toBe('1.1 oauth-gateway');
  // The client's answer names the same exchange, once.
  expect(res.headers['x-request-id']).toBe('req-12345678');
});

test('forwarding headers from a peer that is not a trusted proxy are replaced, not extended', async () => {
  const res = await rawRequest(gateway.url, {
    path: '/api/fwd',
    headers: {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
      forwarded: 'for=203.0.113.9',
      'x-real-ip': '203.0.113.9',
    },
  });
  const seen = JSON.parse(res.body.toString()).headers;
  expect(seen['x-forwarded-for']).toBe('127.0.0.1');
  expect(seen['x-forwarded-proto']).toBe('http');
  expect(seen['x-forwarded-host']).not.toBe('evil.example');
  expect(seen.forwarded).toBeUndefined();
  expect(seen['x-real-ip']).toBeUndefined();
});

test("a trusted proxy's forwarding chain is extended and its scheme and host are kept", async () => {
  const g = await startTestGateway({ config: { server: { trustedProxies: ['127.0.0.1'] }, routes: [{ prefix: '/api', upstream: reads.url, accept: ['public'] }] } });
  try {
    const res = await rawRequest(g.url, {
      path: '/api/fwd',
      headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com', via: '1.1 edge' },
    });
    const seen = JSON.parse(res.body.toString()).headers;
    expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('https');
    expect(seen['x-forwarded-host']).toBe('api.example.com');
    expect(seen.via).toBe('1.1 edge, 1.1 oauth-gateway');
  } finally {
    await g.close();
  }
});

test('hop-by-hop request fields, including those named in Connection, do not reach the upstream', async () => {
  const res = await rawRequest(gateway.url, {
    method: 'POST',
    path: '/api/hop',
    headers: {
      connection: 'close, X-Client-Hop',
      'x-client-hop': 'one-hop-only',
      'keep-alive': 'timeout=300',
      te: 'trailers',
      upgrade: 'h2c',
      'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
      'proxy-connection': 'keep-alive',
      'x-end-to-end': 'kept',
      'content-type': 'text/plain',
    },
    body: 'hello',
  });
  expect(res.status).toBe(200);
  const seen = JSON.parse(res.body.toString()).headers as Record<string, string>;
  for (const name of ['x-client-hop', 'keep-alive', 'te', 'upgrade', 'proxy-authorization', 'proxy-connection']) {
    expect(seen[name]).toBeUndefined();
  }
  expect(seen.connection ?? '').not.toMatch(/x-client-hop|close/i);
  expect(seen['x-end-to-end']).toBe('kept');
});

test('hop-by-hop response fields, including those named in Connection, do not reach the client', async () => {
  const hop = await startUpstream('hop', (_req, res) => {
    res.writeHead(200, {
      connection: 'X-Upstream-Hop',
      'x-upstream-hop': 'one-hop-only',
      'keep-alive': 'timeout=7, max=99',
      'proxy-authenticate': 'Basic realm="upstream"',
      trailer: 'X-Checksum',
      upgrade: 'h2c',
      'x-end-to-end': 'kept',
    });
    res.write('ok');
    res.addTrailers({ 'x-checksum': 'abc' });
    res.end();
    return true;
  });
  const g = await startTestGateway({ config: { routes: [{ prefix: '/hop', upstream: hop.url, accept: ['public'] }] } });
  try {
    const res = await rawRequest(g.url, { path: '/hop/x', headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('ok');
    for (const name of ['x-upstream-hop', 'keep-alive', 'proxy-authenticate', 'trailer', 'upgrade']) expect(res.headers[name]).toBeUndefined();
    expect(res.headers.connection).toBe('close');
    expect(res.headers['x-end-to-end']).toBe('kept');
  } finally {
    await g.close();
    await hop.close();
  }
});
