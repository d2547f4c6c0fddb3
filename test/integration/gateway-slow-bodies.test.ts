import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { counterValue } from '../helpers/metrics';
import { sha256, startUpstream, type TestUpstream } from '../helpers/upstream';

// Slow request bodies on proxied routes (security review: anonymous slow-body POSTs on a public
// route shut out every route on the same upstream). Two defences, replayed over real HTTP with
// small limits: the anonymous share of an upstream's connections (upstreamLimits.anonymousShare)
// and the body idle timeout (upstreamLimits.bodyIdleTimeoutSeconds).

jest.setTimeout(20_000);

const IDLE_SECONDS = 1;

let upstream: TestUpstream;
let gateway: TestGateway;
const sockets = new Set<net.Socket>();

/** Four connections to the upstream, two of them for anonymous callers; room for four waiters, two of them anonymous. */
async function startGateway(limits: Record<string, number> = {}): Promise<TestGateway> {
  return startTestGateway({
    config: {
      routes: [
        { prefix: '/api/public', upstream: upstream.url, accept: ['public'] },
        { prefix: '/api', upstream: upstream.url, accept: ['oauth2'] },
      ],
      upstreamLimits: { maxConnections: 4, maxQueued: 4, queueTimeoutSeconds: 5, bodyIdleTimeoutSeconds: IDLE_SECONDS, ...limits },
    },
  });
}

async function machineToken(gw: TestGateway): Promise<string> {
  const { secret } = await gw.fixtures.client({ id: 'app', name: 'App', grants: 'client_credentials', scopes: 'read' });
  const f = form({ grant_type: 'client_credentials', scope: 'read' });
  const res = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret!) } });
  expect(res.status).toBe(200);
  return res.json.access_token;
}

beforeAll(async () => {
  // /slow-answer: answered (an echo of what arrived) one and a half idle timeouts after its body.
  upstream = await startUpstream('api', (req, res, seen) => {
    if (!seen.url.endsWith('/slow-answer')) return false;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: seen.method, url: seen.url })), IDLE_SECONDS * 1500);
    return true;
  });
});

afterAll(async () => {
  await upstream.close();
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await gateway?.close();
});

const slotsOf = (gw: TestGateway) => gw.deps.upstreams.upstream(upstream.url, 5000).slots;

/** Polls (jest's timeout bounds it) until the condition holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SlowClient {
  /** The status of the gateway's answer, once its head arrived. */
  status: Promise<number>;
  /** Everything the gateway sent, once it closed the connection. */
  closed: Promise<string>;
  /** When the answer's head arrived (performance.now()). */
  answeredAt: Promise<number>;
  socket: net.Socket;
}

/** A raw client that sends a request head and `first`, then one byte every `everyMs` (never, when null). */
function slowClient(gw: TestGateway, head: string, first: string, everyMs: number | null): SlowClient {
  const { port } = new URL(gw.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  sockets.add(socket);
  let received = '';
  let trickle: NodeJS.Timeout | undefined;
  const answered = new Promise<{ status: number; at: number }>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status && received.includes('\r\n\r\n')) resolve({ status: Number(status[1]), at: performance.now() });
    });
  });
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => {
      clearInterval(trickle);
      resolve(received);
    }),
  );
  socket.on('error', () => undefined);
  socket.write(head + first);
  if (everyMs !== null) trickle = setInterval(() => socket.writable && socket.write('x'), everyMs);
  return { status: answered.then((a) => a.status), answeredAt: answered.then((a) => a.at), closed, socket };
}

/** The attack: a POST on the public route declaring a megabyte and sending a byte now and then. */
const slowPost = (gw: TestGateway, n: number, everyMs: number | null) =>
  slowClient(gw, `POST /api/public/slow${n} HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n`, 'x', everyMs);

/** A POST whose body is written in pieces, `gapMs` apart, through node:http (no agent: its own connection). */
function postInPieces(gw: TestGateway, path: string, pieces: Buffer[], gapMs: number, headers: http.OutgoingHttpHeaders): Promise<{ status: number; json: any }> {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: 'POST', path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    void (async () => {
      for (const piece of pieces) {
        req.write(piece);
        await sleep(gapMs);
      }
      req.end();
    })();
  });
}

function proxiedLines(gw: TestGateway): any[] {
  return gw
    .logText()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('the anonymous share of an upstream', () => {
  test('slow anonymous bodies on a public route fill only the anonymous share: an authenticated GET on another route of the upstream still gets 200', async () => {
    gateway = await startGateway();
    const gw = gateway;
    const token = await machineToken(gw);
    // A byte every 200 ms: faster than the idle timeout, so only the share stands in the way.
    const answered: number[] = [];
    for (let i = 0; i < 6; i++) void slowPost(gw, i, 200).status.then((status) => answered.push(status));
    await until(() => slotsOf(gw).anonymousCounts.inUse === 2 && slotsOf(gw).anonymousCounts.queued === 2 && answered.length === 2);
    // Past the anonymous queue's share, the rest are refused at once, as at a full upstream.
    expect(answered).toEqual([503, 503]);

    const started = performance.now();
    const res = await gw.request('/api/x', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ method: 'GET', url: '/api/x' });
    expect(performance.now() - started).toBeLessThan(1000);
    // The attack still holds its share all along.
    expect(slotsOf(gw).anonymousCounts).toEqual({ inUse: 2, queued: 2 });
  });

});

describe('the request body idle timeout', () => {
  test.each([
    ['Content-Length', 'Content-Length: 100\r\n', 'x'.repeat(10)],
    ['chunked', 'Transfer-Encoding: chunked\r\n', 'a\r\n' + 'x'.repeat(10) + '\r\n'],
  ])('a %s body that stops arriving gets 408 in the route\'s error format after about the idle timeout, counted and logged', async (_, framing, first) => {
    gateway = await startGateway();
    const gw = gateway;
    const sent = performance.now();
    const client = slowClient(gw, `POST /api/public/stall HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n${framing}\r\n`, first, null);
    expect(await client.status).toBe(408);
    const waited = (await client.answeredAt) - sent;
    expect(waited).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000 - 50);
    expect(waited).toBeLessThan(IDLE_SECONDS * 1000 * 1.25 + 500);
    // The rest of the body is never read: the gateway closes the connection.
    const answer = await client.closed;
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: 'request_timeout' });

    expect(slotsOf(gw).counts).toEqual({ inUse: 0, queued: 0 });
    expect(await counterValue(gw, 'gateway_upstream_errors_total', { route: '/api/public', kind: 'client_body_timeout' })).toBe(1);
    expect(await counterValue(gw, 'gateway_requests_total', { route: '/api/public', outcome: 'client_timeout', status: '408' })).toBe(1);
    await until(() => proxiedLines(gw).some((l) => l.msg === 'request' && l.status === 408));
    expect(proxiedLines(gw).find((l) => l.msg === 'request' && l.status === 408)).toMatchObject({ route: '/api/public', outcome: 'client_timeout', error: 'request_timeout' });
  });

  test('stalled bodies give their connections back: a request waiting behind them gets through', async () => {
    gateway = await startGateway({ maxConnections: 2, anonymousShare: 1 });
    const gw = gateway;
    const stalled = [slowPost(gw, 1, null), slowPost(gw, 2, null)];
    await until(() => slotsOf(gw).counts.inUse === 2);
    const waiting = gw.request('/api/public/next');
    await until(() => slotsOf(gw).counts.queued === 1);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ url: '/api/public/next' });
    expect(await Promise.all(stalled.map((c) => c.status))).toEqual([408, 408]);
  });

  test.each([
    ['Content-Length', (n: number) => ({ 'content-length': String(n) })],
    ['chunked', () => ({ 'transfer-encoding': 'chunked' })],
  ])('a %s body that trickles in faster than the idle timeout, for longer than it, reaches the upstream intact', async (_, framing) => {
    gateway = await startGateway();
    const pieces = Array.from({ length: 8 }, (_, i) => Buffer.alloc(1000 + i, 65 + i));
    const body = Buffer.concat(pieces);
    // 8 pieces 300 ms apart: 2.1 s in all, more than twice the idle timeout.
    const answer = await postInPieces(gateway, '/api/public/upload', pieces, 300, framing(body.length));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ method: 'POST', bodyLength: body.length, bodySha256: sha256(body) });
  });

  test('a body the upstream is slow to read is not taken for a stalled client', async () => {
    // An upstream that reads nothing for two and a half idle timeouts: the gateway stops reading the client
    // too (backpressure), which is no silence of the client's.
    const held = http.createServer((req, res) => {
      let length = 0;
      setTimeout(() => {
        req.on('data', (c: Buffer) => (length += c.length));
        req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bodyLength: length })));
      }, IDLE_SECONDS * 2500);
    });
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const heldUrl = `http://127.0.0.1:${(held.address() as AddressInfo).port}`;
    try {
      gateway = await startTestGateway({
        config: {
          routes: [{ prefix: '/upload', upstream: heldUrl, accept: ['public'] }],
          upstreamLimits: { bodyIdleTimeoutSeconds: IDLE_SECONDS },
        },
      });
      // More than loopback's socket buffers hold, sent at once.
      const body = Buffer.alloc(32 * 1024 * 1024, 7);
      const res = await gateway.request('/upload/big', { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ bodyLength: body.length });
    } finally {
      held.closeAllConnections();
      await new Promise<void>((resolve) => held.close(() => resolve()));
    }
  });

  test.each([
    ['GET without a body', 'GET', undefined],
    ['POST whose body arrived with its head', 'POST', '{"a":1}'],
  ])('a %s waits for a slow upstream past the idle timeout', async (_, method, body) => {
    gateway = await startGateway();
    const gw = gateway;
    const res = await gw.request(`/api/public/slow-answer`, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ method, url: '/api/public/slow-answer' });
  });

  test.each([
    ['Content-Length', { 'content-length': '7' }],
    ['chunked', { 'transfer-encoding': 'chunked' }],
  ])('a POST whose %s body streamed in waits for a slow upstream past the idle timeout: the watch ends with the body', async (_, framing) => {
    gateway = await startGateway();
    const pieces = [Buffer.from('{"a":'), Buffer.from('1}')];
    const answer = await postInPieces(gateway, '/api/public/slow-answer', pieces, 300, { ...framing, 'content-type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ method: 'POST', url: '/api/public/slow-answer' });
  });
});
