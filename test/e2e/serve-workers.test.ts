import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import sqlite3 from 'sqlite3';
import { serveGateway, type ServedGateway } from '../helpers/serve';
import { buildIfNeeded } from '../helpers/build';
import { onPostgres } from '../helpers/postgres';
import { startUpstream, rawRequest, type TestUpstream } from '../helpers/upstream';
import { throwawayRedis, type ThrowawayRedis } from '../helpers/redis';
import { POSTGRES_URL } from '../helpers/postgres';
import { alive, logLines, pidServing, runCli, waitForLog } from '../helpers/served-logs';

// `serve --workers N` as the compiled binary: N processes on one port (node:cluster), every request
// on a connection of its own so the primary hands them out in turn. Which process answered is read
// from the access lines (each worker's carry its pid), found by the request id the test sends.

jest.setTimeout(240_000);

const secretKey = randomBytes(32).toString('hex');
let redis: ThrowawayRedis;
let upstream: TestUpstream;
let dirs: string[] = [];
const freshDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-workers-'));
  dirs.push(dir);
  return dir;
};
const baseEnv = (extra: Record<string, string> = {}) => ({ GATEWAY_LOG_LEVEL: 'info', GATEWAY_UPSTREAM: upstream.url, GATEWAY_SECRET_KEY: secretKey, ...extra });

beforeAll(async () => {
  buildIfNeeded();
  // A private redis-server: the workers' revocations and nonces must not meet other suites'.
  [redis, upstream] = await Promise.all([throwawayRedis(), startUpstream('api')]);
});

afterAll(async () => {
  await Promise.all([redis?.dispose(), upstream?.close()]);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** The worker pids the primary reported once all of them listened. */
async function workerPids(gw: ServedGateway): Promise<number[]> {
  const lines = await waitForLog(gw.stdout, (l) => l.some((x) => x.msg === 'workers listening'));
  return lines.find((x) => x.msg === 'workers listening')!.pids as number[];
}

/** SIGTERM: the primary exits 0 and no worker is left behind. */
async function stopAll(gw: ServedGateway, pids: number[]): Promise<void> {
  gw.child.kill('SIGTERM');
  expect(await gw.exited).toBe(0);
  expect(pids.filter(alive)).toEqual([]);
}

/** A request on a connection of its own, with a request id to find its access line by. */
function send(gw: ServedGateway, reqId: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return rawRequest(gw.url, { ...options, headers: { 'x-request-id': reqId, ...options.headers } });
}

async function servedBy(gw: ServedGateway, reqId: string): Promise<number> {
  await waitForLog(gw.stdout, () => pidServing(gw.stdout(), reqId) !== undefined);
  return pidServing(gw.stdout(), reqId)!;
}

async function addClient(cwd: string, env: Record<string, string>): Promise<{ id: string; secret: string }> {
  const added = await runCli(cwd, env, 'client', 'add', '--name', 'load', '--grants', 'client_credentials', '--json');
  expect(added.code).toBe(0);
  const out = JSON.parse(added.stdout);
  return { id: out.client_id, secret: out.client_secret };
}

function tokenRequest(gw: ServedGateway, reqId: string, client: { id: string; secret: string }) {
  return send(gw, reqId, {
    method: 'POST',
    path: '/oauth2/token',
    headers: {
      authorization: 'Basic ' + Buffer.from(`${client.id}:${client.secret}`).toString('base64'),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

test('with the in-memory cache, two workers refuse to start, in one line', async () => {
  const cwd = freshDir();
  const run = await runCli(cwd, baseEnv(), 'serve', '--port', '0', '--workers', '2');
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^oauth-gateway: config: server\.workers: 2 workers need shared state: set redis\.url/);
  expect(run.stdout).not.toContain('"url"');
});

test('workers that keep failing at start make the primary give up with one line and exit 1', async () => {
  // The port is taken: every worker's listen fails, each replacement too.
  const taken = http.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = String((taken.address() as AddressInfo).port);
    const run = await runCli(freshDir(), baseEnv({ GATEWAY_REDIS_URL: redis.url }), 'serve', '--port', port, '--workers', '2');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/EADDRINUSE/);
    expect(run.stderr.trim().split('\n').pop()).toBe('oauth-gateway: workers keep failing at start (5 in a row without one listening): giving up');
    const restarts = logLines(run.stdout).filter((l) => l.msg === 'worker exited unexpectedly: starting another');
    expect(restarts.map((l) => l.restartInMs)).toEqual(expect.arrayContaining([100, 200]));
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

test('two workers share the port: both answer, and a token one worker issued verifies on the other', async () => {
  const cwd = freshDir();
  const env = baseEnv({ GATEWAY_REDIS_URL: redis.url });
  const client = await addClient(cwd, env);
  const gw = await serveGateway(cwd, env, '--workers', '2');
  const pids = await workerPids(gw);
  try {
    expect(pids).toHaveLength(2);
    const summary = JSON.parse(gw.stdout().split('\n').find((l) => l.startsWith('{"url"'))!);
    expect(summary).toMatchObject({ workers: 2, cache: 'redis' });

    const issued = await tokenRequest(gw, 'issue-0001', client);
    expect(issued.status).toBe(200);
    const token = JSON.parse(issued.body.toString()).access_token as string;
    const issuer = await servedBy(gw, 'issue-0001');
    expect(pids).toContain(issuer);
    // The primary hands connections out in turn: within a few, one reaches the other worker.
    const answers: Array<{ pid: number; status: number }> = [];
    for (let i = 0; i < 10 && !answers.some((a) => a.pid !== issuer); i++) {
      const reqId = `verify-${String(i).padStart(4, '0')}`;
      const res = await send(gw, reqId, { path: '/api/hello', headers: { authorization: `Bearer ${token}` } });
      answers.push({ pid: await servedBy(gw, reqId), status: res.status });
    }
    expect(answers.find((a) => a.pid !== issuer)).toEqual({ pid: pids.find((p) => p !== issuer), status: 200 });
    expect(answers.every((a) => a.status === 200)).toBe(true);
  } finally {
    await stopAll(gw, pids);
  }
});

test('a worker that is killed is replaced, and its replacement serves', async () => {
  const cwd = freshDir();
  const gw = await serveGateway(cwd, baseEnv({ GATEWAY_REDIS_URL: redis.url }), '--workers', '2');
  const pids = await workerPids(gw);
  const running = [...pids];
  try {
    process.kill(pids[0], 'SIGKILL');
    const lines = await waitForLog(gw.stdout, (l) => l.some((x) => x.msg === 'worker listening' && !pids.includes(x.pid!)));
    const replacement = lines.find((x) => x.msg === 'worker listening' && !pids.includes(x.pid!))!.pid!;
    running.push(replacement);
    expect(lines.some((x) => x.msg === 'worker exited unexpectedly: starting another' && x.pid === pids[0] && x.signal === 'SIGKILL')).toBe(true);
    expect(alive(pids[0])).toBe(false);
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      const reqId = `after-kill-${String(i).padStart(4, '0')}`;
      const res = await send(gw, reqId, { path: '/healthz' });
      expect(res.status).toBe(200);
      reached = (await servedBy(gw, reqId)) === replacement;
    }
    expect(reached).toBe(true);
  } finally {
    await stopAll(gw, running);
  }
});

/** Rows of the OAuth 2.0 access token table, read straight from the database. */
type CountTokens = () => Promise<number>;

interface Database {
  env: Record<string, string>;
  count: CountTokens;
  dispose(): Promise<void>;
}

async function sqliteDatabase(cwd: string): Promise<Database> {
  const file = path.join(cwd, 'data', 'gateway.sqlite');
  return {
    env: {},
    count: () =>
      new Promise((resolve, reject) => {
        const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
          if (err) return reject(err);
          db.get('SELECT COUNT(*) AS n FROM oauth2_access_tokens', (e: Error | null, row: { n: number }) => {
            db.close();
            if (e) reject(e);
            else resolve(row.n);
          });
        });
      }),
    dispose: async () => undefined,
  };
}

/** A database of its own on the shared PostgreSQL, dropped afterwards. */
async function postgresDatabase(): Promise<Database> {
  const name = `gw_workers_${randomBytes(5).toString('hex')}`;
  await onPostgres(POSTGRES_URL, (ds) => ds.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    env: { GATEWAY_DATABASE_URL: url.toString() },
    count: () => onPostgres(url.toString(), async (ds) => Number((await ds.query('SELECT COUNT(*) AS n FROM oauth2_access_tokens'))[0].n)),
    dispose: () => onPostgres(POSTGRES_URL, (ds) => ds.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

describe.each([
  ['SQLite', (cwd: string) => sqliteDatabase(cwd)],
  ['PostgreSQL', () => postgresDatabase()],
])('on %s', (_name, openDatabase) => {
  test('tokens issued at once by two workers are all stored and all verify', async () => {
    const cwd = freshDir();
    const db = await openDatabase(cwd);
    try {
      const env = baseEnv({ GATEWAY_REDIS_URL: redis.url, ...db.env });
      // Client authentications in flight count as guesses until checked: allow the test's concurrency.
      const configFile = path.join(cwd, 'gateway.json');
      fs.writeFileSync(configFile, JSON.stringify({ clientAuth: { maxFailures: 1000, maxFailuresPerAddress: 1000 } }));
      const client = await addClient(cwd, env);
      const gw = await serveGateway(cwd, env, '--config', configFile, '--workers', '2');
      const pids = await workerPids(gw);
      const total = 120;
      const tokens: string[] = [];
      try {
        // 12 at a time, each on its own connection, so both workers write at once.
        let next = 0;
        const failures: string[] = [];
        await Promise.all(
          Array.from({ length: 12 }, async () => {
            while (next < total) {
              const i = next++;
              const res = await tokenRequest(gw, `token-${String(i).padStart(4, '0')}`, client);
              if (res.status !== 200) failures.push(`${res.status} ${res.body.toString()}`);
              else tokens.push(JSON.parse(res.body.toString()).access_token);
            }
          }),
        );
        expect(failures).toEqual([]);
        expect(new Set(tokens).size).toBe(total);
        // Both workers issued some of them.
        const issuers = new Set<number>();
        for (let i = 0; i < total; i++) issuers.add(await servedBy(gw, `token-${String(i).padStart(4, '0')}`));
        expect([...issuers].sort()).toEqual([...pids].sort());
        // Every acknowledged token works, whichever worker checks it.
        const statuses = new Set<number>();
        for (const [i, token] of tokens.entries()) {
          statuses.add((await send(gw, `check-${String(i).padStart(4, '0')}`, { path: '/api/hello', headers: { authorization: `Bearer ${token}` } })).status);
        }
        expect([...statuses]).toEqual([200]);
      } finally {
        await stopAll(gw, pids);
      }
      expect(await db.count()).toBe(total);
    } finally {
      await db.dispose();
    }
  });
});

