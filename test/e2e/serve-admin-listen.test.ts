import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveGateway } from '../helpers/serve';
import { buildIfNeeded } from '../helpers/build';
import { startUpstream, type TestUpstream } from '../helpers/upstream';
import { eventually, throwawayRedis } from '../helpers/redis';

// `oauth-gateway serve` (the compiled binary) with GATEWAY_ADMIN_LISTEN: the admin listener is named
// in the startup summary and log line, serves the admin API while the main port does not, and is
// drained and closed with the gateway on SIGTERM.

jest.setTimeout(120_000);

let upstream: TestUpstream;
let dir: string;
beforeAll(async () => {
  buildIfNeeded();
  upstream = await startUpstream('api');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-admin-listen-'));
});
afterAll(async () => {
  await upstream?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the summary and the startup log name the admin listener; SIGTERM stops both listeners, exit 0', async () => {
  const gw = await serveGateway(dir, { GATEWAY_LOG_LEVEL: 'info', GATEWAY_UPSTREAM: upstream.url, GATEWAY_ADMIN_LISTEN: '127.0.0.1:0' });
  let adminUrl: string;
  try {
    const summary = JSON.parse(gw.stdout().split('\n').find((l) => l.startsWith('{"url"')) as string);
    adminUrl = summary.adminUrl;
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The log line follows the summary (log lines are written asynchronously).
    const listeningLine = () =>
      gw
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{"level"'))
        .map((l) => JSON.parse(l))
        .find((l) => l.msg === 'oauth-gateway listening');
    const listening = await eventually(async () => listeningLine(), (line) => line !== undefined, 10_000);
    expect(listening?.adminUrl).toBe(adminUrl);
    expect((await fetch(`${adminUrl}/admin/api/v1/openapi.json`)).status).toBe(200);
    expect((await fetch(`${gw.url}/admin/api/v1/openapi.json`)).status).toBe(404);
    expect(upstream.seenUnder('/admin')).toEqual([]);
  } finally {
    gw.child.kill('SIGTERM');
  }
  expect(await gw.exited).toBe(0);
  await expect(fetch(`${adminUrl}/admin/api/v1/openapi.json`)).rejects.toThrow();
});

test('a bad GATEWAY_ADMIN_LISTEN stops the start with one line, exit 2', async () => {
  await expect(serveGateway(dir, { GATEWAY_ADMIN_LISTEN: 'admin.internal:9091' })).rejects.toThrow(
    /config: admin\.listen \(GATEWAY_ADMIN_LISTEN\): must be HOST:PORT/,
  );
});

test('with --workers the workers share the admin listener as they share the main port; the summary names it', async () => {
  // Several workers need Redis; a private one, so nothing meets other suites' keys.
  const redis = await throwawayRedis();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-admin-listen-workers-'));
  try {
    const gw = await serveGateway(cwd, { GATEWAY_UPSTREAM: upstream.url, GATEWAY_REDIS_URL: redis.url, GATEWAY_ADMIN_LISTEN: '127.0.0.1:0' }, '--workers', '2');
    let adminUrl = '';
    try {
      adminUrl = JSON.parse(gw.stdout().split('\n').find((l) => l.startsWith('{"url"')) as string).adminUrl;
      expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
      // Each on a connection of its own, so the primary hands them to the workers in turn.
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${adminUrl}/admin/api/v1/openapi.json`, { headers: { connection: 'close' } });
        expect(res.status).toBe(200);
      }
    } finally {
      gw.child.kill('SIGTERM');
    }
    expect(await gw.exited).toBe(0);
    await expect(fetch(`${adminUrl}/admin/api/v1/openapi.json`)).rejects.toThrow();
  } finally {
    await redis.dispose();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});
