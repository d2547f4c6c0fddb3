import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { startGateway, type RunningGateway } from '../../src/runtime';
import { createLogger } from '../../src/http/logger';

function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

async function start(env: Record<string, string> = {}): Promise<{ gw: RunningGateway; logs: string[]; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-http-'));
  const config = loadConfig({ env: { GATEWAY_DATA_DIR: dataDir, GATEWAY_PORT: '0', GATEWAY_DEMO: 'false', ...env } });
  const { lines, logger } = captureLogs();
  const gw = await startGateway(config, { logger });
  return { gw, logs: lines, dataDir };
}

describe('HTTP skeleton', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start();
  });
  afterAll(async () => {
    await ctx.gw.shutdown();
    fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  test('GET /healthz answers 200 while the process is alive', async () => {
    const res = await fetch(`${ctx.gw.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz reports the database and the cache', async () => {
    const res = await fetch(`${ctx.gw.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: { kind: 'sqlite', ok: true }, cache: { kind: 'memory', ok: true }, down: [] });
  });

  test('every response carries a request id and security headers', async () => {
    const res = await fetch(`${ctx.gw.url}/healthz`);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  test('an incoming request id is kept only when it looks like an id', async () => {
    const kept = await fetch(`${ctx.gw.url}/healthz`, { headers: { 'x-request-id': 'abc12345-trace' } });
    expect(kept.headers.get('x-request-id')).toBe('abc12345-trace');
    const replaced = await fetch(`${ctx.gw.url}/healthz`, { headers: { 'x-request-id': 'bad id; with junk' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('junk');
  });

  test('an unknown path gets a JSON 404 from the gateway', async () => {
    const res = await fetch(`${ctx.gw.url}/no/such/path`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  test('the access log has one line per request, with query values and credentials redacted', async () => {
    await fetch(`${ctx.gw.url}/healthz?access_token=SECRET-IN-QUERY&x=1`, {
      headers: { authorization: 'Bearer SECRET-IN-HEADER', cookie: 'gw_session=SECRET-COOKIE' },
    });
    const line = ctx.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && String(l.url).startsWith('/healthz?access_token'));
    expect(line).toMatchObject({ method: 'GET', status: 200, url: '/healthz?access_token=[redacted]&x=[redacted]' });
    expect(typeof line.reqId).toBe('string');
    const all = ctx.logs.join('\n');
    expect(all).not.toContain('SECRET-IN-QUERY');
    expect(all).not.toContain('SECRET-IN-HEADER');
    expect(all).not.toContain('SECRET-COOKIE');
  });
});

describe('readiness', () => {
  test('GET /readyz is 503 when the configured Redis does not answer', async () => {
    const ctx = await start({ GATEWAY_REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await fetch(`${ctx.gw.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', database: { ok: true }, cache: { kind: 'redis', ok: false } });
    } finally {
      await ctx.gw.shutdown();
    }
  });
});

describe('graceful shutdown', () => {
  test('stops accepting, lets an in-flight request finish, then closes storage', async () => {
    const ctx = await start();
    const { port } = new URL(ctx.gw.url);
    // A request whose body is still arriving is in flight; shutdown must wait for it.
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    const socketClosed = new Promise((r) => socket.once('close', r));
    const body = 'grant_type=client_credentials';
    // In flight once the server has parsed its head (not after a guessed pause).
    const arrived = new Promise((r) => ctx.gw.server.once('request', r));
    socket.write(`POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
    await arrived;
    const stopped = ctx.gw.shutdown();
    // New connections are refused once shutdown has begun.
    await expect(fetch(`${ctx.gw.url}/healthz`)).rejects.toThrow();
    socket.write(body.slice(5));
    await stopped;
    await socketClosed;
    expect(response).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(await ctx.gw.runtime.deps.store.ping().catch(() => false)).toBe(false);
  });
});
