import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveGateway, spawnCli, type ServedGateway } from '../helpers/serve';
import { buildIfNeeded, repoRoot } from '../helpers/build';

jest.setTimeout(120_000);

/** Runs `oauth-gateway serve --json --port 0` in `cwd`, as `npm start` does, and waits for its summary line. */
const serve = (cwd: string, ...args: string[]) => serveGateway(cwd, { GATEWAY_LOG_LEVEL: 'warn' }, ...args);

function credential(stdout: string, label: string): [string, string] {
  const line = stdout.split('\n').find((l) => l.startsWith(label));
  if (!line) throw new Error(`no "${label}" line in the banner`);
  const [id, secret] = line.slice(label.length).trim().split(/\s+\/\s+|\s+/);
  return [id, secret];
}

describe('first run: npm start on a fresh checkout', () => {
  let cwd: string;
  beforeAll(() => {
    buildIfNeeded();
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-first-run-'));
  });
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

  test('serves with SQLite under ./data, seeds demo accounts once, and stops cleanly on SIGTERM', async () => {
    const first = await serve(cwd);
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(fs.existsSync(path.join(cwd, 'data', 'gateway.sqlite'))).toBe(true);
      expect(fs.statSync(path.join(cwd, 'data', 'secret.key')).mode & 0o777).toBe(0o600);
      // The banner is for the person at the terminal: standard error, never in the JSON stream on standard output.
      expect(first.stderr()).toContain('demo accounts');
      expect(first.stderr()).toContain('curl');
      expect(first.stdout()).not.toContain('demo accounts');
      for (const line of first.stdout().split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();

      const [clientId, clientSecret] = credential(first.stderr(), 'OAuth2 client:');
      const token = await fetch(`${first.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64') },
        body: 'grant_type=client_credentials',
      });
      expect(token.status).toBe(200);
      const { access_token } = (await token.json()) as { access_token: string };

      // The built-in demo backend sits behind /api.
      const posts = await fetch(`${first.url}/api/posts`, { headers: { authorization: `Bearer ${access_token}` } });
      expect(posts.status).toBe(200);
      expect(((await posts.json()) as { posts: unknown[] }).posts.length).toBeGreaterThan(0);
      expect((await fetch(`${first.url}/api/posts`)).status).toBe(401);

      // The banner's PLAINTEXT xAuth example works: the loopback sandbox alone accepts PLAINTEXT over http.
      const [consumerKey, consumerSecret] = credential(first.stderr(), 'OAuth1 consumer:');
      const [username, password] = credential(first.stderr(), 'user:');
      const xauth = await fetch(`${first.url}/oauth/xauth_access_token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `OAuth oauth_consumer_key="${consumerKey}", oauth_signature_method="PLAINTEXT", oauth_signature="${consumerSecret}%26"`,
        },
        body: new URLSearchParams({ x_auth_mode: 'client_auth', x_auth_username: username, x_auth_password: password }).toString(),
      });
      expect(xauth.status).toBe(200);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);

    const second = await serve(cwd);
    try {
      expect(second.stderr()).not.toContain('demo accounts');
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    } finally {
      second.child.kill('SIGINT');
    }
    expect(await second.exited).toBe(0);
  });

  test('--no-demo starts without demo accounts or demo backend', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-no-demo-'));
    const run = await serve(dir, '--no-demo');
    try {
      expect(run.stderr()).not.toContain('demo accounts');
      expect((await fetch(`${run.url}/api/posts`)).status).toBe(404);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad configuration value stops the start with one line and exit code 2', async () => {
    const child = spawnCli(cwd, { GATEWAY_PORT: 'http' }, ['serve']);
    let err = '';
    child.stderr!.on('data', (d) => (err += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err.trimEnd().split('\n')).toEqual(['oauth-gateway: config: GATEWAY_PORT: must be a whole number, got "http"']);
  });
});
