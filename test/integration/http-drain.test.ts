import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { ConnectionDrain } from '../../src/http/drain';
import { DrainState } from '../../src/http/drain-state';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/http/logger';
import { startGateway } from '../../src/runtime';

// The drain of one HTTP server over real sockets: the behaviour serve relies on, without a gateway.

interface Served {
  server: http.Server;
  drain: ConnectionDrain;
  state: DrainState;
  url: URL;
  /** Answers the test holds back (GET /slow), to finish when it chooses. */
  held: http.ServerResponse[];
}

async function serve(): Promise<Served> {
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') held.push(res);
    else res.end('fast');
  });
  const state = new DrainState();
  const drain = new ConnectionDrain(server, state);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, drain, state, url: new URL(`http://127.0.0.1:${port}`), held };
}

function get(s: Served, agent: http.Agent, path: string): Promise<{ status: number; body: string; connection?: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: s.url.hostname, port: s.url.port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, connection: res.headers.connection, socket: req.socket! }));
    });
    req.on('error', reject);
    req.end();
  });
}

const heldCount = async (s: Served, n: number) => {
  while (s.held.length < n) await new Promise((r) => setTimeout(r, 5));
};

let agents: http.Agent[] = [];
const agent = () => {
  const a = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(a);
  return a;
};
afterEach(() => {
  for (const a of agents) a.destroy();
  agents = [];
});

test('an answer in flight when the drain begins carries Connection: close, and the drain ends once it is sent', async () => {
  const s = await serve();
  const slow = get(s, agent(), '/slow');
  await heldCount(s, 1);
  const outcome = s.drain.drain(10_000);
  expect(s.state.draining).toBe(true);
  s.held[0].end('slow');
  expect(await slow).toMatchObject({ body: 'slow', connection: 'close' });
  expect(await outcome).toEqual({ cut: 0 });
  expect(s.server.listening).toBe(false);
});

test('a keep-alive connection idle when the drain begins still gets its next answer, with Connection: close', async () => {
  const s = await serve();
  const idle = agent();
  const first = await get(s, idle, '/fast');
  expect(first.connection).toBe('keep-alive');
  // Something in flight keeps the drain open; the idle connection is not closed under its client.
  const slow = get(s, agent(), '/slow');
  await heldCount(s, 1);
  const outcome = s.drain.drain(10_000);
  const next = await get(s, idle, '/fast');
  expect(next).toMatchObject({ body: 'fast', connection: 'close' });
  expect(next.socket).toBe(first.socket);
  s.held[0].end('slow');
  await slow;
  expect(await outcome).toEqual({ cut: 0 });
});

test('idle connections are closed once nothing is in flight, and the drain ends', async () => {
  const s = await serve();
  const idle = agent();
  const { socket } = await get(s, idle, '/fast');
  const closed = new Promise((r) => socket.once('close', r));
  expect(await s.drain.drain(10_000)).toEqual({ cut: 0 });
  await closed;
});

test('at the deadline a request still in flight is cut and counted', async () => {
  const s = await serve();
  const slow = get(s, agent(), '/slow');
  slow.catch(() => undefined);
  await heldCount(s, 1);
  expect(await s.drain.drain(200)).toEqual({ cut: 1 });
  await expect(slow).rejects.toThrow();
});

test('a second drain call returns the same outcome', async () => {
  const s = await serve();
  const a = s.drain.drain(1000);
  expect(s.drain.drain(5)).toBe(a);
  expect(await a).toEqual({ cut: 0 });
});

test('the gateway\'s /readyz answers 503 "draining" from the moment its drain begins, on a connection opened before', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-drain-'));
  const gw = await startGateway(loadConfig({ env: { GATEWAY_DATA_DIR: dataDir, GATEWAY_PORT: '0', GATEWAY_DEMO: 'false' } }), { logger: createLogger('silent') });
  try {
    const url = new URL(gw.url);
    const s = { url } as Served;
    const keepAlive = agent();
    expect(JSON.parse((await get(s, keepAlive, '/readyz')).body).status).toBe('ready');
    const stopped = gw.shutdown();
    const ready = await get(s, keepAlive, '/readyz');
    expect([ready.status, JSON.parse(ready.body), ready.connection]).toEqual([503, { status: 'draining' }, 'close']);
    expect(await stopped).toEqual({ cut: 0 });
  } finally {
    await gw.shutdown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
