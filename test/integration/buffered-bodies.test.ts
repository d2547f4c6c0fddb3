import net from 'node:net';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// Replays a security review's finding: anonymous clients sending form bodies just short of
// server.bodyLimitBytes, then trickling, over many connections, made the gateway hold every one of
// them in memory (125 -> 541 MB with 400 sockets), since the limit bounded one body, not all of them.
// server.bufferedBodiesMaxBytes caps the bytes held across requests: past it, a body is refused 503.

const LIMIT = 4096;
const CAP = 4 * LIMIT;
let gw: TestGateway;
let upstream: TestUpstream;
let clientSecret: string;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  upstream = await startUpstream('api');
  gw = await startTestGateway({
    config: {
      server: { bodyLimitBytes: LIMIT, bufferedBodiesMaxBytes: CAP },
      routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth1', 'oauth2'] }],
    },
  });
  clientSecret = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'client_credentials', scopes: 'read' })).secret!;
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
});

/** A form POST that declares `declared` bytes and sends `sent` of them, then holds the connection open; resolves with what came back (if anything) once `settle` ms pass. */
function heldBody(path: string, declared: number, sent: number, extraHeaders = ''): { socket: net.Socket; answer: () => string; closed: () => boolean } {
  const { port } = new URL(gw.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: gw\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${declared}\r\n${extraHeaders}\r\n`);
  socket.write('z=' + 'a'.repeat(sent - 2));
  return { socket, answer: () => received, closed: () => closed };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('bodies held short of their length count against the cap; past it the next one is refused 503, and nothing more is held', async () => {
  const held = [1, 2, 3, 4].map(() => heldBody('/api/posts', LIMIT, LIMIT - 2));
  await until(() => gw.deps.bufferedBodies.bytes === 4 * (LIMIT - 2), 'four bodies held');
  expect(held.every((h) => h.answer() === '')).toBe(true);

  // A fifth would pass the cap: refused at once, told to come back, the connection closed after the answer.
  const fifth = heldBody('/api/posts', LIMIT, LIMIT - 2);
  await until(() => fifth.answer().includes('\r\n\r\n') && fifth.answer().includes('}'), 'the fifth answer');
  expect(fifth.answer()).toMatch(/^HTTP\/1\.1 503 /);
  expect(fifth.answer()).toMatch(/\r\nretry-after: 1\r\n/i);
  expect(fifth.answer()).toMatch(/\r\nconnection: close\r\n/i);
  expect(fifth.answer()).toContain('temporarily_unavailable');
  expect(gw.deps.bufferedBodies.bytes).toBeLessThanOrEqual(CAP);
  // The gateway ends that connection: the client can't go on sending a body nobody counts.
  await until(() => fifth.closed(), 'the refused connection closed');

  // The token endpoint reads its bodies under the same cap.
  const f = form({ grant_type: 'client_credentials' });
  const busy = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', clientSecret) } });
  expect([busy.status, busy.json.error]).toEqual([503, 'temporarily_unavailable']);

  // The held connections go away: their bytes are given back, and bodies are read again.
  for (const h of held) h.socket.destroy();
  await until(() => gw.deps.bufferedBodies.bytes === 0, 'the bytes given back');
  const ok = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', clientSecret) } });
  expect(ok.status).toBe(200);
  expect(gw.deps.bufferedBodies.bytes).toBe(0);
  expect(upstream.seen).toHaveLength(0);
});

test('a body read whole is held until its response ends, then given back', async () => {
  const f = form({ grant_type: 'client_credentials' });
  for (let i = 0; i < 20; i++) {
    const res = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', clientSecret) } });
    expect(res.status).toBe(200);
  }
  await until(() => gw.deps.bufferedBodies.bytes === 0, 'every body given back');
});

test('a declared length past the limit is refused 413 before anything is held', async () => {
  const big = heldBody('/api/posts', LIMIT + 1, 100);
  await until(() => big.answer().includes('\r\n\r\n'), 'the answer');
  expect(big.answer()).toMatch(/^HTTP\/1\.1 413 /);
  expect(gw.deps.bufferedBodies.bytes).toBe(0);
});

test('a cap below server.bodyLimitBytes is refused at start', async () => {
  await expect(startTestGateway({ config: { server: { bodyLimitBytes: 8192, bufferedBodiesMaxBytes: 4096 } } })).rejects.toThrow(/bufferedBodiesMaxBytes.*must be at least server\.bodyLimitBytes/s);
});
