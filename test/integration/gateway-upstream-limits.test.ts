import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { counterValue } from '../helpers/metrics';

// The per-upstream connection cap (upstreamLimits): a bounded number of connections, a bounded
// queue with a timeout (503 past it), and an upstream that breaks mid-body counted as an upstream error.

/** An upstream that counts the connections it is given and holds every request until the test lets it answer. */
interface HoldingUpstream {
  url: string;
  /** Connections ever accepted, and the most open at once. */
  connections: { total: number; open: number; most: number };
  held: http.ServerResponse[];
  /** Answers every held request, and from now on every new one at once. */
  releaseAll(): void;
  close(): Promise<void>;
}

async function holdingUpstream(onRequest?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Promise<HoldingUpstream> {
  const connections = { total: 0, open: 0, most: 0 };
  const held: http.ServerResponse[] = [];
  let holding = true;
  const answer = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  const server = http.createServer((req, res) => {
    req.resume();
    if (onRequest?.(req, res)) return;
    if (holding) held.push(res);
    else answer(res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    connections.total++;
    connections.open++;
    connections.most = Math.max(connections.most, connections.open);
    socket.on('close', () => {
      sockets.delete(socket);
      connections.open--;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    held,
    releaseAll() {
      holding = false;
      for (const res of held.splice(0)) answer(res);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls (without a deadline of its own: jest's timeout bounds it) until the condition holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

let upstream: HoldingUpstream | null = null;
let gateway: TestGateway | null = null;

afterEach(async () => {
  upstream?.releaseAll();
  await gateway?.close();
  await upstream?.close();
  upstream = null;
  gateway = null;
});

async function gatewayFor(up: HoldingUpstream, limits: Record<string, number>): Promise<TestGateway> {
  return startTestGateway({
    config: {
      routes: [{ prefix: '/open', upstream: up.url, accept: ['public'] }],
      // The cap as a whole: the anonymous callers of this public route may take all of it (gateway-slow-bodies.test.ts tests the share).
      upstreamLimits: { perUpstream: { [up.url]: { anonymousShare: 1, ...limits } } },
    },
  });
}

const slotsOf = (gw: TestGateway, up: HoldingUpstream) => gw.deps.upstreams.upstream(up.url, 5000).slots;

test('many client connections to a slow upstream never open more upstream connections than its cap', async () => {
  upstream = await holdingUpstream();
  gateway = await gatewayFor(upstream, { maxConnections: 4, maxQueued: 100, queueTimeoutSeconds: 60 });
  const up = upstream;
  const gw = gateway;
  const answers = Array.from({ length: 24 }, (_, i) => gw.request(`/open/items/${i}`));
  // Every request has reached the gateway: four went upstream, the rest wait in the queue.
  await until(() => up.held.length === 4 && slotsOf(gw, up).counts.queued === 20);
  expect(up.connections.total).toBe(4);
  up.releaseAll();
  const results = await Promise.all(answers);
  expect(results.map((r) => r.status)).toEqual(Array(24).fill(200));
  expect(up.connections.most).toBeLessThanOrEqual(4);
  expect(up.connections.total).toBeLessThanOrEqual(4);
  expect(slotsOf(gw, up).counts).toEqual({ inUse: 0, queued: 0 });
});

test('a request past a full queue gets 503 temporarily_unavailable with Retry-After at once', async () => {
  upstream = await holdingUpstream();
  gateway = await gatewayFor(upstream, { maxConnections: 1, maxQueued: 1, queueTimeoutSeconds: 60 });
  const up = upstream;
  const gw = gateway;
  const first = gw.request('/open/a');
  const second = gw.request('/open/b');
  await until(() => up.held.length === 1 && slotsOf(gw, up).counts.queued === 1);
  const before = await counterValue(gw, 'gateway_upstream_errors_total', { route: '/open', kind: 'queue_full' });

  const refused = await gw.request('/open/c');
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(refused.json).toMatchObject({ error: 'temporarily_unavailable' });
  expect(refused.headers.get('cache-control')).toBe('no-store');
  expect(await counterValue(gw, 'gateway_upstream_errors_total', { route: '/open', kind: 'queue_full' })).toBe(before + 1);

  up.releaseAll();
  expect((await first).status).toBe(200);
  expect((await second).status).toBe(200);
});

test('a request that waits in the queue past the queue timeout gets 503 with Retry-After', async () => {
  upstream = await holdingUpstream();
  gateway = await gatewayFor(upstream, { maxConnections: 1, maxQueued: 10, queueTimeoutSeconds: 1 });
  const up = upstream;
  const gw = gateway;
  const first = gw.request('/open/a');
  await until(() => up.held.length === 1);

  const waited = await gw.request('/open/b');
  expect(waited.status).toBe(503);
  expect(waited.headers.get('retry-after')).toBe('1');
  expect(waited.json).toMatchObject({ error: 'temporarily_unavailable' });
  expect(await counterValue(gw, 'gateway_upstream_errors_total', { route: '/open', kind: 'queue_timeout' })).toBe(1);
  expect(up.held).toHaveLength(1);

  up.releaseAll();
  expect((await first).status).toBe(200);
  expect(slotsOf(gw, up).counts).toEqual({ inUse: 0, queued: 0 });
});

test('an upstream that breaks mid-body is counted and logged as an upstream error, not as a client that left', async () => {
  upstream = await holdingUpstream((req, res) => {
    // Headers and part of the body, then the connection is cut.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '100000' });
    res.write(Buffer.alloc(1000, 1), () => setTimeout(() => res.socket?.destroy(), 20));
    return true;
  });
  gateway = await gatewayFor(upstream, { maxConnections: 8 });
  const gw = gateway;

  // The client sees the response start, then end short.
  const received = await new Promise<{ status: number; bytes: number }>((resolve) => {
    const { hostname, port } = new URL(gw.url);
    http.get({ hostname, port, path: '/open/file' }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
  });
  expect(received.status).toBe(200);
  expect(received.bytes).toBeLessThan(100000);

  const lines = () =>
    gw
      .logText()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'proxied');
  await until(() => lines().length === 1);
  const [line] = lines();
  expect(line).toMatchObject({ level: 'warn', route: '/open', outcome: 'upstream_error', status: 200 });
  expect(line.failure).toEqual(expect.any(String));
  expect(line.failure).not.toBe('client_closed');
  expect(await counterValue(gw, 'gateway_upstream_errors_total', { route: '/open', kind: line.failure })).toBe(1);
  expect(await counterValue(gw, 'gateway_requests_total', { route: '/open', outcome: 'upstream_error', status: '200' })).toBe(1);
  expect(await counterValue(gw, 'gateway_requests_total', { route: '/open', outcome: 'client_closed' })).toBe(0);
});

test('a client that leaves mid-body is logged as client_closed and is no upstream error', async () => {
  upstream = await holdingUpstream((req, res) => {
    // Part of the body, then nothing more until the connection goes.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '100000' });
    res.write(Buffer.alloc(1000, 1));
    return true;
  });
  gateway = await gatewayFor(upstream, { maxConnections: 8 });
  const gw = gateway;

  await new Promise<void>((resolve) => {
    const { hostname, port } = new URL(gw.url);
    const req = http.get({ hostname, port, path: '/open/file' }, (res) => {
      res.once('data', () => req.destroy());
      res.on('error', () => undefined);
      res.on('close', () => resolve());
    });
    req.on('error', () => undefined);
  });

  const lines = () =>
    gw
      .logText()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'proxied');
  await until(() => lines().length === 1);
  expect(lines()[0]).toMatchObject({ route: '/open', outcome: 'client_closed' });
  expect(await counterValue(gw, 'gateway_requests_total', { route: '/open', outcome: 'client_closed', status: '499' })).toBe(1);
  expect(await counterValue(gw, 'gateway_upstream_errors_total', { route: '/open' })).toBe(0);
});
