import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { verifySecret } from '../../src/crypto/passwords';
import { buildIfNeeded } from '../helpers/build';
import { cliOnTerminal, cliProcess, type ProcessResult } from '../helpers/cli-process';

jest.setTimeout(300_000);

// The compiled CLI as an operator runs it: a child process, real SQLite, real pipes and a real
// pseudo-terminal (util-linux `script`).
let cli: ReturnType<typeof cliProcess>;
beforeAll(() => buildIfNeeded());
beforeEach(() => {
  cli = cliProcess();
});
afterEach(() => cli.cleanup());

function ok<T = any>(result: ProcessResult): T {
  expect(result.stderr.replace(/^warning: generated a new secret key in .*\n/, '')).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Every command in the tree with its --help, from the root help down (`user add`, `client list`, ...). */
async function everyCommand(): Promise<Array<{ words: string[]; help: ProcessResult }>> {
  const commandsOf = async (words: string[]): Promise<Array<{ words: string[]; help: ProcessResult }>> => {
    const help = await cli.run([...words, '--help']);
    const section = help.stdout.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
    const names = [...section.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]).filter((n) => n !== 'help');
    if (names.length === 0) return [{ words, help }];
    const below: Array<{ words: string[]; help: ProcessResult }> = [];
    // One at a time: the machine is shared.
    for (const n of names) below.push(...(await commandsOf([...words, n])));
    return below;
  };
  return commandsOf([]);
}

describe('--help', () => {
  test('every command has examples and names the environment variables it reads', async () => {
    const commands = await everyCommand();
    expect(commands.map((c) => c.words.join(' '))).toEqual(expect.arrayContaining(['serve', 'migrate', 'backup', 'user add', 'user passwd', 'client list', 'consumer add', 'secrets rotate']));
    for (const { words, help } of commands) {
      expect({ words, code: help.code }).toEqual({ words, code: 0 });
      const examples = help.stdout.split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
      expect({ words, example: examples.split('\n')[0] }).toEqual({ words, example: expect.stringMatching(/^ {2}(\S+=\S+ )?oauth-gateway /) });
      expect(help.stdout).toContain('GATEWAY_DATA_DIR');
      expect(help.stdout).toContain('GATEWAY_DATABASE_URL');
    }
  });

  test('required options are marked; optional ones are not', async () => {
    const help = (await cli.run(['client', 'add', '--help'])).stdout;
    expect(help).toMatch(/--name <name>\s+\(required\) /);
    expect(help).toMatch(/--grants <list>\s+\(required\) /);
    expect(help).not.toMatch(/--scopes <list>\s+\(required\)/);
    expect((await cli.run(['user', 'add', '--help'])).stdout).not.toMatch(/--password <password>\s+\(required\)/);
  });

  test('the root help lists every GATEWAY_* variable with the key it overrides, and the exit codes', async () => {
    const help = (await cli.run(['--help'])).stdout;
    expect(help).toMatch(/GATEWAY_SECRET_KEY\s+overrides secretKey/);
    expect(help).toMatch(/GATEWAY_TRUSTED_PROXIES\s+overrides server\.trustedProxies/);
    expect(help).toContain('Exit codes:');
  });

  test('a group without its command prints the group help and exits 2', async () => {
    const r = await cli.run(['user']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: oauth-gateway user');
    expect(r.stderr).toContain('oauth-gateway user passwd alice');
  });
});

describe('errors with --json', () => {
  test('a missing required option is a JSON object on stderr, nothing on stdout, exit 2', async () => {
    const r = await cli.run(['client', 'add', '--name', 'X', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({ error: 'usage', message: "required option '--grants <list>' not specified", exitCode: 2 });
  });

  test('bad input names the flag, as JSON', async () => {
    const r = await cli.run(['client', 'add', '--name', 'X', '--grants', 'authorization_code', '--json']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toEqual({ error: 'invalid_input', message: 'authorization_code and implicit clients need at least one redirect URI (--redirect-uri)', exitCode: 2 });
  });

  test('a bad configuration is a JSON error; without --json the same is one plain line', async () => {
    const env = { GATEWAY_PORT: 'eighty' };
    const asJson = await cli.run(['user', 'list', '--json'], { env });
    expect(JSON.parse(asJson.stderr)).toEqual({ error: 'config', message: 'config: GATEWAY_PORT: must be a whole number, got "eighty"', exitCode: 2 });
    const plain = await cli.run(['user', 'list'], { env });
    expect(plain.stderr).toBe('oauth-gateway: config: GATEWAY_PORT: must be a whole number, got "eighty"\n');
    expect(plain.code).toBe(2);
  });
});

describe('passwords', () => {
  test('user add without --password reads one line from standard input as the password; an empty input is refused', async () => {
    ok(await cli.run(['user', 'add', '--username', 'alice', '--json'], { input: 'piped password\n' }));
    // The stored hash is of the whole piped line, without its newline.
    const [row] = await query<{ hash: string }>(path.join(cli.dataDir, 'gateway.sqlite'), "SELECT passwordHash AS hash FROM users WHERE username = 'alice'");
    expect(await verifySecret('piped password', row.hash)).toBe(true);
    const empty = await cli.run(['user', 'add', '--username', 'bob', '--json'], { input: '' });
    expect(empty.code).toBe(2);
    expect(JSON.parse(empty.stderr.trimEnd().split('\n').pop()!)).toMatchObject({ error: 'invalid_input', message: '--password is required' });
  });

  test('on a terminal, user passwd asks twice and never shows what is typed', async () => {
    ok(await cli.run(['user', 'add', '--username', 'alice', '--password', 'first password', '--json']));
    const term = cliOnTerminal(['user', 'passwd', 'alice'], cli.env());
    await term.answer('new password for alice: ', 'Sup3r secret typed');
    await term.answer('the same password again: ', 'Sup3r secret typed');
    expect(await term.exited).toBe(0);
    expect(term.transcript()).toContain('password of alice changed');
    expect(term.transcript()).not.toContain('Sup3r');
  });

  test('on a terminal, two different answers change nothing and exit 2', async () => {
    ok(await cli.run(['user', 'add', '--username', 'alice', '--password', 'first password', '--json']));
    const term = cliOnTerminal(['user', 'passwd', 'alice'], cli.env());
    await term.answer('new password for alice: ', 'one new password');
    await term.answer('the same password again: ', 'another password');
    expect(await term.exited).toBe(2);
    expect(term.transcript()).toContain('oauth-gateway: the two passwords differ; nothing was changed');
    expect(term.transcript()).not.toMatch(/one new|another pass/);
  });

  test('on a terminal, user add asks for the password the same way', async () => {
    const term = cliOnTerminal(['user', 'add', '--username', 'carol'], cli.env());
    await term.answer('new password for carol: ', 'carols password');
    await term.answer('the same password again: ', 'carols password');
    expect(await term.exited).toBe(0);
    expect(term.transcript()).toMatch(/user carol created/);
    expect(term.transcript()).not.toContain('carols password');
  });
});

describe('list commands show every column', () => {
  test('client list: redirect URIs, scopes, profile, TTLs, and an implicit client with implicit among its grants', async () => {
    ok(await cli.run(['profile', 'add', '--name', 'ops', '--json']));
    ok(await cli.run(['client', 'add', '--id', 'spa', '--name', 'SPA', '--public', '--grants', 'implicit', '--redirect-uri', 'https://spa.example/cb', '--json']));
    ok(await cli.run(['client', 'add', '--id', 'web', '--name', 'Web', '--grants', 'authorization_code,refresh_token', '--refresh', '--redirect-uri', 'https://web.example/cb', '--redirect-uri', 'https://web.example/cb2', '--scopes', 'read,write', '--profile', 'ops', '--access-ttl', '900', '--refresh-ttl', '86400', '--code-ttl', '120', '--json']));
    const listed = ok<any[]>(await cli.run(['client', 'list', '--json']));
    expect(listed.find((c) => c.client_id === 'spa')).toMatchObject({ grants: ['implicit'], implicit: true, public: true, redirect_uris: ['https://spa.example/cb'] });
    expect(listed.find((c) => c.client_id === 'web')).toMatchObject({
      grants: ['authorization_code', 'refresh_token'],
      redirect_uris: ['https://web.example/cb', 'https://web.example/cb2'],
      scopes: ['read', 'write'],
      profile: 'ops',
      access_ttl: 900,
      refresh_ttl: 86400,
      code_ttl: 120,
    });
    const table = (await cli.run(['client', 'list'])).stdout.split('\n');
    expect(table[0].split(/\s{2,}/)).toEqual(['CLIENT_ID', 'NAME', 'PUBLIC', 'GRANTS', 'REFRESH', 'REDIRECT URIS', 'SCOPES', 'PROFILE', 'ACCESS TTL', 'REFRESH TTL', 'CODE TTL', 'ENABLED']);
    expect(table.find((l) => l.startsWith('spa '))!.split(/\s{2,}/)).toEqual(['spa', 'SPA', 'true', 'implicit', 'false', 'https://spa.example/cb', '-', '-', 'default', 'default', 'default', 'true']);
    expect(table.find((l) => l.startsWith('web '))!.split(/\s{2,}/)).toEqual(['web', 'Web', 'false', 'authorization_code,refresh_token', 'true', 'https://web.example/cb https://web.example/cb2', 'read,write', 'ops', '900s', '86400s', '120s', 'true']);
  });

  test('consumer list: profile and access token lifetime', async () => {
    ok(await cli.run(['profile', 'add', '--name', 'ops', '--json']));
    const c = ok(await cli.run(['consumer', 'add', '--name', 'Legacy', '--profile', 'ops', '--access-ttl', '600', '--json']));
    const listed = ok<any[]>(await cli.run(['consumer', 'list', '--json']));
    expect(listed.find((x) => x.key === c.key)).toMatchObject({ profile: 'ops', accessTtl: 600 });
    const table = (await cli.run(['consumer', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/ENABLED\s+PROFILE\s+ACCESS TTL\s+METHODS/);
    expect(table.find((l) => l.startsWith(c.key))).toMatch(/ops\s+600s/);
  });
});

function query<T>(file: string, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.all(sql, (e, rows) => db.close(() => (e ? reject(e) : resolve(rows as T[]))));
    });
  });
}

describe('backup', () => {
  test('copies what is committed while another connection holds an open write, and the copy restores', async () => {
    ok(await cli.run(['user', 'add', '--username', 'alice', '--password', 'correct horse', '--json']));
    const live = path.join(cli.dataDir, 'gateway.sqlite');
    // A writer in the middle of a transaction, as a serving node may be: the backup must neither
    // wait for it nor copy its uncommitted change.
    const writer = new sqlite3.Database(live);
    const exec = (sql: string) => new Promise<void>((resolve, reject) => writer.exec(sql, (e) => (e ? reject(e) : resolve())));
    await exec('BEGIN IMMEDIATE; CREATE TABLE uncommitted_change (x INTEGER);');
    const target = path.join(cli.dataDir, 'backups-copy.sqlite');
    let result: { file: string; bytes: number };
    try {
      result = ok(await cli.run(['backup', '--to', target, '--json']));
    } finally {
      await exec('ROLLBACK;');
      await new Promise<void>((resolve) => writer.close(() => resolve()));
    }
    expect(result.file).toBe(target);
    expect(result.bytes).toBe(fs.statSync(target).size);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(await query(target, "SELECT name FROM sqlite_master WHERE name = 'uncommitted_change'")).toEqual([]);
    expect(await query(target, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);

    // Restore: the copy and the key in a new data dir, as README "Operations" says.
    const restored = cliProcess();
    try {
      fs.copyFileSync(target, path.join(restored.dataDir, 'gateway.sqlite'));
      fs.copyFileSync(path.join(cli.dataDir, 'secret.key'), path.join(restored.dataDir, 'secret.key'));
      const users = ok<any[]>(await restored.run(['user', 'list', '--json']));
      expect(users.map((u) => u.username)).toEqual(['alice']);
    } finally {
      restored.cleanup();
    }
  });

  test('never overwrites a file', async () => {
    ok(await cli.run(['migrate', '--json']));
    const target = path.join(cli.dataDir, 'existing.sqlite');
    fs.writeFileSync(target, 'keep me');
    const r = await cli.run(['backup', '--to', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`oauth-gateway: ${target} exists: a backup never overwrites a file, choose a new name\n`);
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
  });

  test('on PostgreSQL it says to use pg_dump and exits 2, without the database URL', async () => {
    const r = await cli.run(['backup', '--to', path.join(cli.dataDir, 'x.sqlite'), '--json'], { env: { GATEWAY_DATABASE_URL: 'postgres://gateway:s3cret@127.0.0.1:5432/test' } });
    expect(r.code).toBe(2);
    const failure = JSON.parse(r.stderr);
    expect(failure).toMatchObject({ error: 'backup', exitCode: 2 });
    expect(failure.message).toContain('pg_dump');
    expect(r.stderr).not.toContain('s3cret');
    expect(fs.existsSync(path.join(cli.dataDir, 'x.sqlite'))).toBe(false);
  });

  test('with no database yet there is nothing to back up', async () => {
    const r = await cli.run(['backup', '--to', path.join(cli.dataDir, 'x.sqlite')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^oauth-gateway: no database at .*gateway\.sqlite \(nothing to back up yet\)\n$/);
  });
});
