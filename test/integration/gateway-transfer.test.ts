import { randomBytes } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { freePort } from '../helpers/redis';
import { rawRequest, sha256, startUpstream, type TestUpstream } from '../helpers/upstream';

// Bodies both ways, and the failures a proxy must report itself: 502, 504, 413.

const MB = 1024 * 1024;
let gateway: TestGateway;
let upstream: TestUpstream;

beforeAll(async () => {
  upstream = await startUpstream('files');
  const closedPort = await freePort();
  gateway = await startTestGateway({
    config: {
      routes: [
        { prefix: '/files', upstream: upstream.url, accept: ['public'] },
        { prefix: '/small', upstream: upstream.url, accept: ['public'], maxBodyBytes: 1024 },
        { prefix: '/slow', upstream: upstream.url, accept: ['public'], timeoutSeconds: 1 },
        { prefix: '/down', upstream: `http://127.0.0.1:${closedPort}`, accept: ['public'] },
      ],
    },
  });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

test('a 20 MB upload reaches the upstream intact', async () => {
  const body = randomBytes(20 * MB);
  const res = await rawRequest(gateway.url, { method: 'PUT', path: '/files/upload', headers: { 'content-type': 'application/octet-stream', 'content-length': body.length }, body });
  expect(res.status).toBe(200);
  const seen = JSON.parse(res.body.toString());
  expect(seen.bodyLength).toBe(body.length);
  expect(seen.bodySha256).toBe(sha256(body));
});

test('a 20 MB chunked upload (no Content-Length) reaches the upstream intact', async () => {
  const body = randomBytes(20 * MB);
  const pieces = Array.from({ length: 20 }, (_, i) => body.subarray(i * MB, (i + 1) * MB));
  const res = await rawRequest(gateway.url, { method: 'POST', path: '/files/upload', headers: { 'content-type': 'application/octet-stream' }, body: pieces });
  expect(res.status).toBe(200);
  const seen = JSON.parse(res.body.toString());
  expect(seen.bodySha256).toBe(sha256(body));
});

// Replays a security review's finding: node decodes only the chunked framing of "gzip, chunked", and the
// gateway forwarded the still-gzipped bytes without the coding, as if they were the body.
test.each(['gzip, chunked', 'deflate,chunked'])('a body with Transfer-Encoding "%s" is refused with 501, and nothing reaches the upstream', async (coding) => {
  const before = upstream.seen.length;
  const res = await rawRequest(gateway.url, { method: 'POST', path: '/files/upload', headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': coding }, body: [Buffer.from('abc')] });
  expect(res.status).toBe(501);
  expect(JSON.parse(res.body.toString()).error).toBe('transfer_coding_not_implemented');
  expect(upstream.seen.length).toBe(before);
});

test('Transfer-Encoding "Chunked" in another case is chunked', async () => {
  const body = Buffer.from('hello');
  const res = await rawRequest(gateway.url, { method: 'POST', path: '/files/upload', headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'Chunked' }, body: [body] });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body.toString()).bodySha256).toBe(sha256(body));
});

test('a 20 MB download reaches the client intact', async () => {
  const res = await rawRequest(gateway.url, { path: `/files/download?bytes=${20 * MB}` });
  expect(res.status).toBe(200);
  expect(res.body.length).toBe(20 * MB);
  expect(sha256(res.body)).toBe(res.headers['x-body-sha256']);
});

test('a body declared larger than the route allows is refused with 413 before reaching the upstream', async () => {
  const before = upstream.seenUnder('/small').length;
  const res = await rawRequest(gateway.url, { method: 'POST', path: '/small/upload', headers: { 'content-length': 2048 }, body: randomBytes(2048) });
  expect(res.status).toBe(413);
  expect(JSON.parse(res.body.toString()).error).toBe('request_too_large');
  expect(upstream.seenUnder('/small').length).toBe(before);
});

test('a chunked body that grows past the route cap is refused with 413', async () => {
  const res = await rawRequest(gateway.url, { method: 'POST', path: '/small/upload', body: [randomBytes(800), randomBytes(800)] });
  expect(res.status).toBe(413);
});

test('an upstream that refuses the connection is a 502', async () => {
  const res = await gateway.request('/down/anything');
  expect(res.status).toBe(502);
  expect(res.json.error).toBe('bad_gateway');
});

test('an upstream that never answers within the route timeout is a 504', async () => {
  const res = await gateway.request('/slow/hang');
  expect(res.status).toBe(504);
  expect(res.json.error).toBe('upstream_timeout');
});

test('upstream failures are counted by kind', async () => {
  await gateway.request('/down/again');
  const text = await gateway.deps.metrics.registry.metrics();
  expect(text).toMatch(/gateway_upstream_errors_total\{route="\/down",kind="connect_refused"\} [1-9]/);
});
