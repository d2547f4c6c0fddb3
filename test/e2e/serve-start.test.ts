import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveGateway, spawnCli as spawnBinary, type ServedGateway } from '../helpers/serve';
import { buildIfNeeded, repoRoot } from '../helpers/build';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// `oauth-gateway serve` as the compiled binary, about what it does at start: the demo only when
// nothing is configured to proxy, warnings an operator needs, private data files, and refusing a
// secret key that does not open the stored secrets.

jest.setTimeout(120_000);

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const spawnCli = (cwd: string, env: Record<string, string>, args: string[]) => spawnBinary(cwd, { GATEWAY_LOG_LEVEL: 'info', ...env }, args);
const serve = (cwd: string, env: Record<string, string> = {}, ...args: string[]) => serveGateway(cwd, { GATEWAY_LOG_LEVEL: 'info', ...env }, ...args);

async function stop(run: ServedGateway): Promise<void> {
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
}

/** The JSON log lines at warn level. */
const warnings = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{"level"'))
    .map((l) => JSON.parse(l) as { level: string; msg: string })
    .filter((l) => l.level === 'warn')
    .map((l) => l.msg);

/** Runs a command to its end; one that is still running after 20 s (a serve that started) is killed. */
async function run(cwd: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(cwd, env, args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d.toString()));
  child.stderr!.on('data', (d) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(killer);
  return { code, stdout, stderr };
}

let dirs: string[] = [];
const freshDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-serve-start-'));
  dirs.push(dir);
  return dir;
};
let upstream: TestUpstream;
let umask: number;

beforeAll(async () => {
  buildIfNeeded();
  upstream = await startUpstream('api');
  // The usual umask: modes must be private because the gateway asks for it, not because of the umask.
  umask = process.umask(0o022);
});

afterAll(async () => {
  process.umask(umask);
  await upstream?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('the demo', () => {
  test('stays off when an upstream is configured, whatever `demo` says', async () => {
    const cwd = freshDir();
    const gw = await serve(cwd, { GATEWAY_UPSTREAM: upstream.url, GATEWAY_DEMO: 'true' });
    try {
      expect(gw.stderr()).not.toContain('=== oauth-gateway demo accounts');
      const summary = JSON.parse(gw.stdout().split('\n').find((l) => l.startsWith('{"url"')) as string);
      expect(summary.demo).toBe(false);
      // No demo user exists to sign in with: the password grant for "demo" knows no such client.
      const token = await fetch(`${gw.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&username=demo&password=x&client_id=demo-public',
      });
      expect(token.status).toBe(401);
      // /api goes to the configured upstream (a credential is needed), not to a demo backend.
      expect((await fetch(`${gw.url}/api/posts`)).status).toBe(401);
    } finally {
      await stop(gw);
    }
    const list = await run(cwd, {}, 'user', 'list', '--json');
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  test('stays off when routes are configured', async () => {
    const cwd = freshDir();
    const configFile = path.join(cwd, 'gateway.json');
    fs.writeFileSync(configFile, JSON.stringify({ routes: [{ prefix: '/v1', upstream: upstream.url, accept: ['public'] }] }));
    const gw = await serve(cwd, {}, '--config', configFile);
    try {
      expect(gw.stderr()).not.toContain('=== oauth-gateway demo accounts');
      expect((await fetch(`${gw.url}/v1/hello`)).status).toBe(200);
    } finally {
      await stop(gw);
    }
    expect(JSON.parse((await run(cwd, {}, 'client', 'list', '--json')).stdout)).toEqual([]);
  });

  test('serve --no-demo with nothing to proxy warns that nothing is proxied', async () => {
    const gw = await serve(freshDir(), {}, '--no-demo');
    try {
      expect(warnings(gw.stdout()).filter((m) => /nothing is proxied/.test(m))).toHaveLength(1);
    } finally {
      await stop(gw);
    }
  });

  test('with an upstream there is no such warning', async () => {
    const gw = await serve(freshDir(), { GATEWAY_UPSTREAM: upstream.url });
    try {
      expect(warnings(gw.stdout()).filter((m) => /nothing is proxied/.test(m))).toEqual([]);
    } finally {
      await stop(gw);
    }
  });
});

describe('the public URL', () => {
  test('without server.publicUrl one warning says answers use the listen address', async () => {
    const gw = await serve(freshDir(), { GATEWAY_UPSTREAM: upstream.url });
    try {
      const lines = warnings(gw.stdout()).filter((m) => m.includes('server.publicUrl'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/listen address/);
      expect(lines[0]).toMatch(/production/);
    } finally {
      await stop(gw);
    }
  });

  test('with server.publicUrl set there is no such warning', async () => {
    const gw = await serve(freshDir(), { GATEWAY_UPSTREAM: upstream.url, GATEWAY_PUBLIC_URL: 'https://api.example.com' });
    try {
      expect(warnings(gw.stdout()).filter((m) => m.includes('server.publicUrl'))).toEqual([]);
    } finally {
      await stop(gw);
    }
  });
});

describe('the data dir', () => {
  test('serve creates it 0700 and the SQLite files (-wal and -shm included) 0600', async () => {
    const cwd = freshDir();
    const gw = await serve(cwd, { GATEWAY_UPSTREAM: upstream.url });
    try {
      const data = path.join(cwd, 'data');
      expect(mode(data)).toBe(0o700);
      for (const file of ['gateway.sqlite', 'gateway.sqlite-wal', 'gateway.sqlite-shm', 'secret.key']) {
        expect([file, mode(path.join(data, file))]).toEqual([file, 0o600]);
      }
    } finally {
      await stop(gw);
    }
  });
});

describe('the secret key', () => {
  const keyA = 'a'.repeat(64);
  const keyB = 'b'.repeat(64);

  test('a key that does not open the stored secrets stops the start with one line and exit 2', async () => {
    const cwd = freshDir();
    expect((await run(cwd, { GATEWAY_SECRET_KEY: keyA }, 'consumer', 'add', '--name', 'Legacy', '--json')).code).toBe(0);
    const wrong = await run(cwd, { GATEWAY_SECRET_KEY: keyB, GATEWAY_UPSTREAM: upstream.url }, 'serve', '--port', '0');
    expect(wrong.code).toBe(2);
    const lines = wrong.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^oauth-gateway: .*secret key/);
    expect(wrong.stderr).not.toContain(keyA);
    expect(wrong.stderr).not.toContain(keyB);

    // The right key still starts.
    const right = await serve(cwd, { GATEWAY_SECRET_KEY: keyA, GATEWAY_UPSTREAM: upstream.url });
    await stop(right);
  });

  test('an admin command with the wrong key is refused the same way, and writes nothing', async () => {
    const cwd = freshDir();
    expect((await run(cwd, { GATEWAY_SECRET_KEY: keyA }, 'consumer', 'add', '--name', 'First', '--json')).code).toBe(0);
    const wrong = await run(cwd, { GATEWAY_SECRET_KEY: keyB }, 'consumer', 'add', '--name', 'Second', '--json');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trimEnd().split('\n')).toHaveLength(1);
    const listed = JSON.parse((await run(cwd, { GATEWAY_SECRET_KEY: keyA }, 'consumer', 'list', '--json')).stdout) as Array<{ name: string }>;
    expect(listed.map((c) => c.name)).toEqual(['First']);
  });
});

describe('serve and migrate refuse the same configuration', () => {
  const configFile = (cwd: string, config: unknown): string => {
    const file = path.join(cwd, 'gateway.json');
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  };

  test.each([
    ['two routes with one prefix', { routes: [{ prefix: '/api', upstream: 'http://a.internal' }, { prefix: '/API/', upstream: 'http://b.internal' }] }, /^oauth-gateway: config: routes\.1\.prefix: two routes share the prefix \/API /],
    ['an unknown key inside a route', { routes: [{ prefix: '/api', upstream: 'http://a.internal', timeout: 5 }] }, /^oauth-gateway: config: routes\.0\.timeout: unknown key$/],
  ])('%s: both stop with the same line and exit 2, before opening the database', async (_case, config, line) => {
    const cwd = freshDir();
    const file = configFile(cwd, config);
    const served = await run(cwd, {}, '--config', file, 'serve', '--port', '0');
    const migrated = await run(cwd, {}, '--config', file, 'migrate');
    for (const result of [served, migrated]) {
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr.trimEnd()).toMatch(line);
    }
    expect(served.stderr).toBe(migrated.stderr);
    expect(fs.existsSync(path.join(cwd, 'data'))).toBe(false);
  });
});

describe('stopping', () => {
  // A supervisor may send SIGTERM as soon as the process prints anything. The signal handlers must
  // already be there: a SIGTERM before them killed the process uncleanly (exit by signal, no shutdown).
  test('a SIGTERM during start-up still ends in a clean shutdown with exit code 0', async () => {
    const child = spawnCli(freshDir(), { GATEWAY_UPSTREAM: upstream.url }, ['serve', '--json', '--port', '0']);
    let out = '';
    child.stdout!.on('data', (d) => {
      if (out === '') child.kill('SIGTERM');
      out += d.toString();
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(out).toMatch(/"msg":"stopped"/);
  });
});
