import fs from 'node:fs';
import path from 'node:path';
import { cliRunner, jsonOf, refusedWith, type CliResult } from '../helpers/cli';

// Every test gets a data dir of its own and creates the accounts it needs: no test leans on another.
let cli: ReturnType<typeof cliRunner>;
beforeEach(() => {
  cli = cliRunner();
});
afterEach(() => cli.cleanup());

/** The profile and user the account tests work on (what `profile add` and `user add` below create). */
async function operatorsAndAlice(): Promise<void> {
  jsonOf(await cli.run('profile', 'add', '--name', 'operators', '--privileges', 'api_access,#guest_show_details,create user', '--json'));
  jsonOf(await cli.run('user', 'add', '--username', 'Alice', '--password', 'correct horse', '--profile', 'operators', '--json'));
}

describe('oauth-gateway CLI', () => {
  test('migrate applies the schema once and then reports nothing to do', async () => {
    const first = jsonOf<{ applied: string[] }>(await cli.run('migrate', '--json'));
    expect(first.applied.length).toBeGreaterThan(0);
    const second = jsonOf<{ applied: string[] }>(await cli.run('migrate', '--json'));
    expect(second.applied).toEqual([]);
  });

  test('the first command that needs the secret key generates it once, with a warning', async () => {
    const first = await cli.run('profile', 'list', '--json');
    expect(first.stderr).toMatch(/^warning: generated a new secret key in .*secret\.key; back it up\n$/);
    const second = await cli.run('profile', 'list', '--json');
    expect(second.stderr).toBe('');
    expect(fs.statSync(path.join(cli.dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  test('profile add and list', async () => {
    const created = jsonOf(await cli.run('profile', 'add', '--name', 'operators', '--privileges', 'api_access,#guest_show_details,create user', '--json'));
    expect(created.privileges).toEqual(['api_access', '#guest_show_details', 'create user']);
    const list = jsonOf<any[]>(await cli.run('profile', 'list', '--json'));
    expect(list.map((p) => p.name)).toContain('operators');
  });

  test('user add, list, passwd and disable', async () => {
    jsonOf(await cli.run('profile', 'add', '--name', 'operators', '--privileges', 'api_access', '--json'));
    const created = jsonOf(await cli.run('user', 'add', '--username', 'Alice', '--password', 'correct horse', '--profile', 'operators', '--json'));
    expect(created).toMatchObject({ username: 'Alice', profile: 'operators', enabled: true });
    expect(JSON.stringify(created)).not.toContain('correct horse');
    expect(jsonOf(await cli.run('user', 'passwd', 'alice', '--password', 'battery staple', '--json'))).toEqual({ username: 'alice', passwordChanged: true });
    expect(jsonOf(await cli.run('user', 'disable', 'ALICE', '--json'))).toEqual({ username: 'ALICE', enabled: false });
    const list = jsonOf<any[]>(await cli.run('user', 'list', '--json'));
    expect(list.find((u) => u.username === 'Alice')).toMatchObject({ enabled: false, profile: 'operators' });
  });

  test('a duplicate username, whatever its case, is refused with one line and exit 2', async () => {
    await operatorsAndAlice();
    refusedWith(await cli.run('user', 'add', '--username', 'ALICE', '--password', 'whatever123'), 'already exists');
  });

  test('consumer add prints key and secret once; list never shows the secret', async () => {
    const created = jsonOf(await cli.run('consumer', 'add', '--name', 'Legacy app', '--callback', 'https://legacy.example/cb', '--xauth', '--json'));
    expect(created.key).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(created.xauth).toBe(true);
    const listed = await cli.run('consumer', 'list', '--json');
    expect(listed.stdout).toContain(created.key);
    expect(listed.stdout).not.toContain(created.secret);
    expect(jsonOf(await cli.run('consumer', 'disable', created.key, '--json'))).toEqual({ key: created.key, enabled: false });
  });

  test('client add prints client_id and secret once; a public client has none', async () => {
    const confidential = jsonOf(
      await cli.run('client', 'add', '--name', 'Web app', '--grants', 'authorization_code,client_credentials', '--redirect-uri', 'https://app.example/cb', '--redirect-uri', 'https://app.example/cb2', '--refresh', '--access-ttl', '600', '--scopes', 'read,write', '--json'),
    );
    expect(confidential.client_secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(confidential.grants).toEqual(['authorization_code', 'client_credentials', 'refresh_token']);
    expect(confidential.redirect_uris).toEqual(['https://app.example/cb', 'https://app.example/cb2']);
    const pub = jsonOf(await cli.run('client', 'add', '--name', 'QuickAccess', '--id', 'QuickAccess', '--grants', 'password', '--public', '--json'));
    expect(pub).toMatchObject({ client_id: 'QuickAccess', client_secret: null, public: true });
    const listed = await cli.run('client', 'list', '--json');
    expect(listed.stdout).toContain('QuickAccess');
    expect(listed.stdout).not.toContain(confidential.client_secret);
    expect(jsonOf(await cli.run('client', 'disable', 'QuickAccess', '--json'))).toEqual({ client_id: 'QuickAccess', enabled: false });
  });

  test.each([
    [['client', 'add', '--name', 'X', '--grants', 'magic'], 'unknown grant "magic"'],
    [['client', 'add', '--name', 'X', '--grants', 'authorization_code', '--redirect-uri', 'not a url'], 'not an absolute URL'],
    [['client', 'add', '--name', 'X', '--grants', 'authorization_code'], 'redirect-uri'],
    [['client', 'add', '--name', 'X', '--grants', 'password', '--code-ttl', '900'], 'at most 600'],
    [['client', 'add', '--name', 'X', '--grants', 'client_credentials', '--public'], 'public client'],
    [['client', 'add', '--grants', 'password'], '--name'],
    [['consumer', 'add', '--name', 'X', '--callback', 'javascript:alert(1)'], 'not javascript:'],
    [['user', 'add', '--username', 'bob', '--password', ''], '--password is required'],
    [['user', 'add', '--username', 'bob', '--password', 'longenough', '--profile', 'nope'], 'unknown profile'],
    [['user', 'disable', 'nobody'], 'unknown user'],
    [['profile', 'add', '--name', 'operators'], 'already exists'],
  ])('bad input %j prints one line, exits 2 and writes nothing', async (args, mentions) => {
    // Something in every list, so "writes nothing" compares real rows.
    await operatorsAndAlice();
    jsonOf(await cli.run('consumer', 'add', '--name', 'Legacy app', '--callback', 'https://legacy.example/cb', '--json'));
    jsonOf(await cli.run('client', 'add', '--name', 'Machine', '--grants', 'client_credentials', '--json'));
    const before = {
      clients: (await cli.run('client', 'list', '--json')).stdout,
      users: (await cli.run('user', 'list', '--json')).stdout,
      consumers: (await cli.run('consumer', 'list', '--json')).stdout,
    };
    refusedWith(await cli.run(...args), mentions);
    expect((await cli.run('client', 'list', '--json')).stdout).toBe(before.clients);
    expect((await cli.run('user', 'list', '--json')).stdout).toBe(before.users);
    expect((await cli.run('consumer', 'list', '--json')).stdout).toBe(before.consumers);
  });

  test('a bad configuration value stops the command with one line and exit 2', async () => {
    const broken = cliRunner({ GATEWAY_DATABASE_URL: 'mysql://nope' });
    try {
      refusedWith(await broken.run('user', 'list'), 'GATEWAY_DATABASE_URL');
    } finally {
      broken.cleanup();
    }
  });

  test('human output without --json is readable lines', async () => {
    jsonOf(await cli.run('profile', 'add', '--name', 'operators', '--privileges', 'api_access', '--json'));
    const result = await cli.run('profile', 'list');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^NAME\s+PRIVILEGES$/);
  });
});

describe('every command loads the configuration as serve does', () => {
  const own = cliRunner();
  afterAll(() => own.cleanup());

  function configFile(config: unknown): string {
    const file = path.join(fs.mkdtempSync(path.join(own.dataDir, 'config-')), 'gateway.json');
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  }

  // serve, which would keep running if it did not refuse, is run as a process: test/e2e/serve-start.test.ts.
  test.each(['migrate', 'user list'])('%s refuses two routes with one prefix (one line, exit 2)', async (command) => {
    const file = configFile({ routes: [{ prefix: '/api', upstream: 'http://a.internal' }, { prefix: '/API/', upstream: 'http://b.internal' }] });
    refusedWith(await own.run('--config', file, ...command.split(' ')), 'config: routes.1.prefix: two routes share the prefix /API');
  });

  test.each(['migrate', 'user list'])('%s refuses an unknown key inside a route, naming it', async (command) => {
    const file = configFile({ routes: [{ prefix: '/api', upstream: 'http://a.internal', timeout: 5 }] });
    refusedWith(await own.run('--config', file, ...command.split(' ')), 'config: routes.0.timeout: unknown key');
  });

  test('migrate opens the store without the secret key: it neither generates one nor seals the key check', async () => {
    const fresh = cliRunner();
    try {
      const result = await fresh.run('migrate', '--json');
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(fs.existsSync(path.join(fresh.dataDir, 'secret.key'))).toBe(false);
      // The first admin command, with the key the operator configured, is the one that seals the check.
      const key = 'cd'.repeat(32);
      const configured = cliRunner({ GATEWAY_DATA_DIR: fresh.dataDir, GATEWAY_SECRET_KEY: key });
      try {
        expect((await configured.run('profile', 'list', '--json')).code).toBe(0);
      } finally {
        configured.cleanup();
      }
    } finally {
      fresh.cleanup();
    }
  });
});

describe('input errors name the flags the operator typed', () => {
  const own = cliRunner();
  // The first command generates the secret key and warns; the answers below are the only line.
  beforeAll(async () => expect((await own.run('profile', 'list')).code).toBe(0));
  afterAll(() => own.cleanup());

  test.each([
    [['client', 'add', '--name', ' ', '--grants', 'password'], 'oauth-gateway: --name is required'],
    [['client', 'add', '--name', 'X', '--grants', ','], 'oauth-gateway: --grants needs at least one grant'],
    [['client', 'add', '--name', 'X', '--grants', 'password', '--access-ttl', 'soon'], 'oauth-gateway: --access-ttl must be a positive whole number of seconds'],
    [['client', 'add', '--name', 'X', '--grants', 'password', '--refresh-ttl', '0'], 'oauth-gateway: --refresh-ttl must be a positive whole number of seconds'],
    [['client', 'add', '--name', 'X', '--grants', 'password', '--code-ttl', '601'], 'oauth-gateway: --code-ttl must be at most 600 seconds'],
    [['client', 'add', '--name', 'X', '--grants', 'password', '--id', 'a:b'], 'oauth-gateway: --id must be 1 to 64 visible ASCII characters without a colon'],
    [['client', 'add', '--name', 'X', '--grants', 'authorization_code'], 'oauth-gateway: authorization_code and implicit clients need at least one redirect URI (--redirect-uri)'],
    [['user', 'add', '--username', ' ', '--password', 'longenough'], 'oauth-gateway: --username is required'],
    [['consumer', 'add', '--name', 'X', '--access-ttl', '-5'], 'oauth-gateway: --access-ttl must be a positive whole number of seconds'],
    [['consumer', 'add', '--name', 'X', '--callback-match', 'exact'], 'oauth-gateway: --callback-match needs --callback'],
  ])('%j', async (args, line) => {
    const result = await own.run(...args);
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', `${line}\n`]);
  });

  test('consumer set with nothing to change names the three flags that change something', async () => {
    const added = await own.run('consumer', 'add', '--name', 'Unchanged', '--json');
    const { key } = JSON.parse(added.stdout) as { key: string };
    const result = await own.run('consumer', 'set', key);
    expect([result.code, result.stderr]).toEqual([2, 'oauth-gateway: nothing to change: give --callback, --no-callback or --callback-match\n']);
  });
});
