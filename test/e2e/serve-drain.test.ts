import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { serveGateway, type ServedGateway } from '../helpers/serve';
import { buildIfNeeded } from '../helpers/build';
import { startUpstream, type TestUpstream } from '../helpers/upstream';
import { throwawayRedis, type ThrowawayRedis } from '../helpers/redis';
import { waitForLog } from '../helpers/served-logs';

// The drain on SIGTERM, with keep-alive clients under load over real sockets, in one process and
// with two workers (the primary forwards SIGTERM and waits): readyz says 503 at once, every answer
// after that carries Connection: close (or is the last on its connection), no request is reset, a
// slow request in flight finishes, and the exit code says whether the deadline cut anything.

jest.setTimeout(240_000);

const secretKey = randomBytes(32).toString('hex');
let redis: ThrowawayRedis;
let upstream: TestUpstream;
/** Slow upstream answers the test holds back, and releases when it chooses. */
const held: http.ServerResponse[] = [];
let dirs: string[] = [];

beforeAll(async () => {
  buildIfNeeded();
  [redis, upstream] = await Promise.all([
    throwawayRedis(),
    startUpstream('api', (_req, res, seen) => {
      if (!seen.url.startsWith('/api/slow')) return false;
      held.push(res);
      return true;
    }),
  ]);
});

afterAll(async () => {
  for (const res of held.splice(0)) res.destroy();
  await Promise.all([redis?.dispose(), upstream?.close()]);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

interface Answer {
  status: number;
  connection: string | undefined;
  socket: Socket;
  body: string;
}

function get(gw: ServedGateway, agent: http.Agent, target: string): Promise<Answer> {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: target, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, socket: req.socket!, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function serveDraining(workers: number, settings: { shutdownTimeoutSeconds: number }): Promise<ServedGateway> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-drain-'));
  dirs.push(cwd);
  const configFile = path.join(cwd, 'gateway.json');
  fs.writeFileSync(configFile, JSON.stringify({ server: { ...settings, workers }, routes: [{ prefix: '/api', upstream: upstream.url, accept: ['public'] }] }));
  const env: Record<string, string> = { GATEWAY_LOG_LEVEL: 'info', GATEWAY_SECRET_KEY: secretKey };
  if (workers > 1) env.GATEWAY_REDIS_URL = redis.url;
  const gw = await serveGateway(cwd, env, '--config', configFile);
  if (workers > 1) await waitForLog(gw.stdout, (l) => l.some((x) => x.msg === 'workers listening'));
  return gw;
}

/** Until each process of the gateway has begun its drain. */
const drainBegun = (gw: ServedGateway, workers: number) =>
  waitForLog(gw.stdout, (l) => l.filter((x) => x.msg === 'draining: finishing in-flight requests').length === workers);

async function slowRequestsHeld(count: number): Promise<void> {
  while (held.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe.each([1, 2])('with %i worker(s)', (workers) => {
  test('SIGTERM drains: readyz 503 at once, Connection: close, no reset, slow requests in flight finish, exit 0', async () => {
    const gw = await serveDraining(workers, { shutdownTimeoutSeconds: 60 });
    const agents: http.Agent[] = [];
    const agent = (options: http.AgentOptions) => {
      const a = new http.Agent(options);
      agents.push(a);
      return a;
    };
    try {
      // An idle keep-alive connection, opened before the signal.
      const idle = agent({ keepAlive: true, maxSockets: 1 });
      expect((await get(gw, idle, '/healthz')).status).toBe(200);

      // Keep-alive clients in a loop, each on its connection, until an answer tells it to stop.
      let drainSeen = false;
      const errors: unknown[] = [];
      const answered: Array<Answer & { sentAfterDrain: boolean }> = [];
      const loops = Array.from({ length: 4 }, async (_, n) => {
        const own = agent({ keepAlive: true, maxSockets: 1 });
        for (let i = 0; ; i++) {
          const sentAfterDrain = drainSeen;
          try {
            const answer = await get(gw, own, `/api/fast?loop=${n}&i=${i}`);
            answered.push({ ...answer, sentAfterDrain });
            if (answer.connection === 'close') return;
          } catch (err) {
            errors.push(err);
            return;
          }
        }
      });
      while (answered.length < 40) await new Promise((resolve) => setTimeout(resolve, 10));

      // Slow requests in flight on every worker (new connections are handed out in turn; two per
      // worker so that no worker is left without one), which keeps the idle connection open too.
      const slow = Array.from({ length: 2 * workers }, () => get(gw, agent({ keepAlive: false }), '/api/slow'));
      slow.forEach((p) => p.catch(() => undefined));
      await slowRequestsHeld(2 * workers);

      gw.child.kill('SIGTERM');
      await drainBegun(gw, workers);
      drainSeen = true;

      const ready = await get(gw, idle, '/readyz');
      expect([ready.status, JSON.parse(ready.body).status, ready.connection]).toEqual([503, 'draining', 'close']);

      await Promise.all(loops);
      expect(errors).toEqual([]);
      // Every answer to a request sent once the drain had begun says Connection: close, or is the
      // last one on its connection; each client's last answer said close.
      const last = new Map<Socket, Answer>();
      for (const a of answered) last.set(a.socket, a);
      const wrong = answered.filter((a) => a.sentAfterDrain && a.connection !== 'close' && last.get(a.socket) !== a);
      expect(wrong).toEqual([]);
      // Each client stopped because an answer said close (none of them on an error).
      expect(new Set(answered.filter((a) => a.connection === 'close').map((a) => a.socket)).size).toBe(4);
      expect(answered.every((a) => a.status === 200)).toBe(true);

      // The slow requests were still in flight; they finish, and then the process exits 0.
      for (const res of held.splice(0)) res.end('{"slow":true}');
      for (const answer of await Promise.all(slow)) expect([answer.status, answer.body, answer.connection]).toEqual([200, '{"slow":true}', 'close']);
      expect(await gw.exited).toBe(0);
    } finally {
      for (const a of agents) a.destroy();
      for (const res of held.splice(0)) res.destroy();
      if (gw.child.exitCode === null && gw.child.signalCode === null) gw.child.kill('SIGKILL');
    }
  });

  test('a request still in flight at the drain deadline is cut, and the exit code says so', async () => {
    const gw = await serveDraining(workers, { shutdownTimeoutSeconds: 1 });
    const agents: http.Agent[] = [];
    try {
      const slow = Array.from({ length: workers }, () => {
        const a = new http.Agent({ keepAlive: false });
        agents.push(a);
        return get(gw, a, '/api/slow');
      });
      slow.forEach((p) => p.catch(() => undefined));
      await slowRequestsHeld(workers);
      gw.child.kill('SIGTERM');
      const code = await gw.exited;
      if (code !== 3) process.stderr.write(gw.stdout());
      expect(code).toBe(3);
      for (const p of slow) await expect(p).rejects.toThrow();
      expect(gw.stdout()).toMatch(/"cut":1,.*"msg":"the drain deadline passed: requests still in flight were cut"/);
    } finally {
      for (const a of agents) a.destroy();
      for (const res of held.splice(0)) res.destroy();
      if (gw.child.exitCode === null && gw.child.signalCode === null) gw.child.kill('SIGKILL');
    }
  });
});
