import fs from 'node:fs';
import path from 'node:path';
import { cliRunner, jsonOf, refusedWith, type CliResult } from '../helpers/cli';

// The commands issue 18 adds to the CLI: enable, delete, rotate-secret, routes list, --version.
// Through the real CLI entry, each test with a data dir of its own.

let cli: ReturnType<typeof cliRunner>;
beforeEach(() => {
  cli = cliRunner();
});
afterEach(() => cli.cleanup());

test('--version prints the package version', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
  const result = await cli.run('--version');
  expect(result.code).toBe(0);
  expect(result.stdout.trim()).toBe(version);
});

test('user enable undoes user disable; user delete removes the user', async () => {
  jsonOf(await cli.run('user', 'add', '--username', 'alice', '--password', 'correct horse', '--json'));
  jsonOf(await cli.run('user', 'disable', 'alice', '--json'));
  expect(jsonOf(await cli.run('user', 'enable', 'Alice', '--json'))).toEqual({ username: 'Alice', enabled: true });
  expect(jsonOf<any[]>(await cli.run('user', 'list', '--json')).find((u) => u.username === 'alice').enabled).toBe(true);
  expect(jsonOf(await cli.run('user', 'delete', 'alice', '--json'))).toEqual({ username: 'alice', deleted: true });
  expect(jsonOf<any[]>(await cli.run('user', 'list', '--json'))).toEqual([]);
  refusedWith(await cli.run('user', 'delete', 'alice'), 'unknown user "alice"');
  refusedWith(await cli.run('user', 'enable', 'nobody'), 'unknown user "nobody"');
});

test('client enable, delete and rotate-secret (with a grace period shown as a time)', async () => {
  const created = jsonOf(await cli.run('client', 'add', '--name', 'Machine', '--id', 'machine', '--grants', 'client_credentials', '--json'));
  jsonOf(await cli.run('client', 'disable', 'machine', '--json'));
  expect(jsonOf(await cli.run('client', 'enable', 'machine', '--json'))).toEqual({ client_id: 'machine', enabled: true });
  const rotated = jsonOf(await cli.run('client', 'rotate-secret', 'machine', '--json'));
  expect(rotated.client_secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(rotated.client_secret).not.toBe(created.client_secret);
  expect(rotated.previous_secret_valid_until).toBeNull();
  const graced = jsonOf(await cli.run('client', 'rotate-secret', 'machine', '--grace', '3600', '--json'));
  expect(Date.parse(graced.previous_secret_valid_until)).toBeGreaterThan(Date.now() + 3500_000);
  const listed = await cli.run('client', 'list', '--json');
  expect(listed.stdout).not.toContain(graced.client_secret);
  refusedWith(await cli.run('client', 'rotate-secret', 'machine', '--grace', 'soon'), '--grace must be a whole number');
  refusedWith(await cli.run('client', 'rotate-secret', 'machine', '--grace', '999999999'), 'grace period');
  expect(jsonOf(await cli.run('client', 'delete', 'machine', '--json'))).toEqual({ client_id: 'machine', deleted: true });
  expect(jsonOf<any[]>(await cli.run('client', 'list', '--json'))).toEqual([]);
  refusedWith(await cli.run('client', 'enable', 'machine'), 'unknown client "machine"');
});

test('a public client has no secret to rotate', async () => {
  jsonOf(await cli.run('client', 'add', '--name', 'App', '--id', 'app', '--grants', 'password', '--public', '--json'));
  refusedWith(await cli.run('client', 'rotate-secret', 'app'), 'public client');
});

test('consumer enable, delete and rotate-secret', async () => {
  const created = jsonOf(await cli.run('consumer', 'add', '--name', 'Legacy', '--json'));
  jsonOf(await cli.run('consumer', 'disable', created.key, '--json'));
  expect(jsonOf(await cli.run('consumer', 'enable', created.key, '--json'))).toEqual({ key: created.key, enabled: true });
  const rotated = jsonOf(await cli.run('consumer', 'rotate-secret', created.key, '--json'));
  expect(rotated.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(rotated.secret).not.toBe(created.secret);
  expect(jsonOf(await cli.run('consumer', 'delete', created.key, '--json'))).toEqual({ key: created.key, deleted: true });
  refusedWith(await cli.run('consumer', 'rotate-secret', created.key), `unknown consumer "${created.key}"`);
});

test('routes list shows the configured table, longest prefix first', async () => {
  const config = path.join(cli.dataDir, 'config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      routes: [
        { prefix: '/api', upstream: 'http://127.0.0.1:9001', accept: ['oauth2'] },
        { prefix: '/api/admin/', upstream: 'http://127.0.0.1:9002', privileges: ['admin'], scopes: ['write'] },
      ],
    }),
  );
  const rows = jsonOf<any[]>(await cli.run('--config', config, 'routes', 'list', '--json'));
  expect(rows.map((r) => r.prefix)).toEqual(['/api/admin', '/api']);
  expect(rows[0]).toMatchObject({ upstream: 'http://127.0.0.1:9002', privileges: ['admin'], scopes: ['write'], accept: ['oauth1', 'oauth2'] });
  const human = await cli.run('--config', config, 'routes', 'list');
  expect(human.stdout.split('\n')[0]).toMatch(/^PREFIX\s+UPSTREAM\s+ACCEPT/);
});
