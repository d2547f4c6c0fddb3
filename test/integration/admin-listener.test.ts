import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { addClient, addProfile, addUser } from '../../src/accounts/admin';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/http/logger';
import { startGateway, type RunningGateway } from '../../src/runtime';
import { openStore } from '../../src/storage';
import { withPostgresSchema, type PostgresSchema } from '../helpers/postgres';
import { tempDataDir, type TempDir } from '../helpers/sqlite';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// admin.listen: the admin API, its OpenAPI document and the explorer on a listener of their own,
// started and drained with the gateway by the real runtime (startGateway, as `serve` runs it); the
// main listener then answers 404 there, and the admin listener serves nothing else.

jest.setTimeout(60_000);

describe.each(['sqlite', 'postgres'] as const)('on %s', (database) => {
  let dir: TempDir;
  let schema: PostgresSchema | null = null;
  let gateway: RunningGateway;
  let upstream: TestUpstream;
  let token: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = tempDataDir('admin-listen');
    schema = database === 'postgres' ? await withPostgresSchema() : null;
    upstream = await startUpstream();
    // A catch-all public route: any path the gateway does not keep for itself would reach the upstream.
    const config = loadConfig({
      env: { GATEWAY_ADMIN_LISTEN: '127.0.0.1:0' },
      overrides: {
        dataDir: dir.dir, secretKey: randomBytes(32).toString('hex'), demo: false, log: { level: 'info' }, server: { host: '127.0.0.1', port: 0 },
        routes: [{ prefix: '/', upstream: upstream.url, accept: ['public'] }],
      },
    });
    const store = await openStore({ databaseUrl: schema?.url ?? null, schema: schema?.schema, dataDir: dir.dir, timeouts: config.database });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    gateway = await startGateway(config, { store, logger: createLogger('info', sink) });
    const ctx = gateway.runtime.deps;
    const admins = await addProfile(ctx, { name: 'admins', privileges: 'admin' });
    await addUser(ctx, { username: 'root', password: 'root-password', profile: admins.name });
    await addClient(ctx, { id: 'ops', name: 'Ops', grants: 'password', public: true });
    const res = await fetch(`${gateway.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'root', password: 'root-password', client_id: 'ops' }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await gateway?.shutdown();
    await upstream?.close();
    await schema?.drop();
    dir?.remove();
  });

  const get = (base: string, path: string, withToken = true) => fetch(base + path, { headers: withToken ? { authorization: `Bearer ${token}` } : {} });

  test('the admin listener is a second address of its own', () => {
    expect(gateway.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway.adminUrl).not.toBe(gateway.url);
  });

  test('it serves the admin API, the OpenAPI document and the explorer', async () => {
    expect((await get(gateway.adminUrl!, '/admin/api/v1/openapi.json', false)).status).toBe(200);
    expect((await get(gateway.adminUrl!, '/api-docs', false)).status).toBe(200);
    const users = await get(gateway.adminUrl!, '/admin/api/v1/users');
    expect(users.status).toBe(200);
    expect(((await users.json()) as { items: Array<{ username: string }> }).items.map((u) => u.username)).toContain('root');
    const created = await fetch(`${gateway.adminUrl}/admin/api/v1/profiles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'made-on-the-admin-listener' }),
    });
    expect(created.status).toBe(201);
    const audit = (await (await get(gateway.adminUrl!, '/admin/api/v1/audit?target=made-on-the-admin-listener')).json()) as { items: Array<{ address: string; source: string }> };
    expect(audit.items).toEqual([expect.objectContaining({ source: 'api', address: '127.0.0.1' })]);
  });

  test('the main listener no longer serves it: 404, as an unknown path of the gateway (never proxied)', async () => {
    for (const path of ['/admin/api/v1/openapi.json', '/admin/api/v1/users', '/api-docs']) {
      const res = await get(gateway.url, path);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect((await get(gateway.url, '/healthz', false)).status).toBe(200);
    expect((await get(gateway.url, '/anything-else', false)).status).toBe(200); // proxied
    expect(upstream.seenUnder('/admin')).toEqual([]);
    expect(upstream.seenUnder('/api-docs')).toEqual([]);
  });

  test('the admin listener serves nothing but the admin API: 404 Problem Details elsewhere', async () => {
    for (const path of ['/healthz', '/oauth2/token', '/login', '/metrics']) {
      const res = await get(gateway.adminUrl!, path, false);
      expect([path, res.status]).toEqual([path, 404]);
    }
    const unknown = await get(gateway.adminUrl!, '/admin/api/v1/nothing-here');
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  test('its requests have access lines like the main listener\'s, with no token in them', async () => {
    await get(gateway.adminUrl!, '/admin/api/v1/routes');
    const lines = logs.join('').split('\n').filter((l) => l.includes('/admin/api/v1/routes'));
    expect(lines.length).toBeGreaterThan(0);
    expect(logs.join('')).not.toContain(token);
  });
});

test('shutdown drains and closes both listeners', async () => {
  const dir = tempDataDir('admin-listen-stop');
  try {
    const config = loadConfig({
      env: { GATEWAY_ADMIN_LISTEN: '0' },
      overrides: { dataDir: dir.dir, secretKey: randomBytes(32).toString('hex'), demo: false, log: { level: 'silent' }, server: { host: '127.0.0.1', port: 0 } },
    });
    const gateway = await startGateway(config);
    const adminUrl = gateway.adminUrl!;
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${adminUrl}/admin/api/v1/openapi.json`)).status).toBe(200);
    expect(await gateway.shutdown()).toEqual({ cut: 0 });
    for (const url of [gateway.url, adminUrl]) await expect(fetch(`${url}/admin/api/v1/openapi.json`)).rejects.toThrow();
  } finally {
    dir.remove();
  }
});
