import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { SecretKeyMismatchError } from '../../src/crypto';
import { createLogger } from '../../src/http/logger';
import { startGateway, type RunningGateway } from '../../src/runtime';
import { cliRunner, type CliResult } from '../helpers/cli';
import type { TestGateway } from '../helpers/gateway';
import { OAuth1Client, tokenOf, type Token } from '../helpers/oauth1';

// The secret key seals the OAuth 1.0a consumer and token secrets. A key that does not open them
// stops the start (never a 500 on every OAuth 1.0a request), and `secrets rotate` re-seals every
// one of them with a new key in one transaction. The real runtime and the real CLI, one data dir.

const keyA = 'a1'.repeat(32);
const keyB = 'b2'.repeat(32);
const keyC = 'c3'.repeat(32);
const user = { username: 'kim', password: 'kim-password-1' };

/** One deployment: a data dir holding a user, an xAuth consumer and an access token, all sealed with keyA. */
interface Deployment {
  dataDir: string;
  consumer: { key: string; secret: string };
  token: Token;
}

let dirs: string[] = [];
let running: RunningGateway | null = null;
let logs: string[] = [];

async function runCli(dataDir: string, key: string | null, ...args: string[]): Promise<CliResult> {
  const runner = cliRunner({ GATEWAY_DATA_DIR: dataDir, ...(key ? { GATEWAY_SECRET_KEY: key } : {}) });
  try {
    return await runner.run(...args);
  } finally {
    runner.cleanup();
  }
}

async function start(dataDir: string, key: string | null): Promise<RunningGateway> {
  logs = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const env: Record<string, string> = { GATEWAY_DATA_DIR: dataDir, GATEWAY_PORT: '0', GATEWAY_DEMO: 'false' };
  if (key) env.GATEWAY_SECRET_KEY = key;
  return startGateway(loadConfig({ env }), { logger: createLogger('info', sink) });
}

/** The OAuth 1.0a test client against a real runtime (system clock). */
function client(gw: RunningGateway, consumer: { key: string; secret: string }): OAuth1Client {
  const target = { url: gw.url, clock: () => Date.now(), remember: () => undefined } as unknown as TestGateway;
  return new OAuth1Client(target, consumer, 'HMAC-SHA1', 'body');
}

async function stopRunning(): Promise<void> {
  await running?.shutdown();
  running = null;
}

function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-secret-key-'));
  dirs.push(dir);
  return dir;
}

async function deployment(key: string | null = keyA): Promise<Deployment> {
  const dataDir = freshDir();
  expect((await runCli(dataDir, key, 'user', 'add', '--username', user.username, '--password', user.password)).code).toBe(0);
  const added = JSON.parse((await runCli(dataDir, key, 'consumer', 'add', '--name', 'Legacy', '--xauth', '--json')).stdout);
  const consumer = { key: added.key as string, secret: added.secret as string };
  running = await start(dataDir, key);
  const issued = await client(running, consumer).send('POST', '/oauth/xauth_access_token', { x_auth_username: user.username, x_auth_password: user.password, x_auth_mode: 'client_auth' });
  expect(issued.status).toBe(200);
  await stopRunning();
  return { dataDir, consumer, token: tokenOf(issued.form) };
}

afterEach(stopRunning);
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

test('a gateway started with a key that does not open the stored secrets does not start', async () => {
  const { dataDir } = await deployment();
  await expect(start(dataDir, keyB)).rejects.toBeInstanceOf(SecretKeyMismatchError);
  await expect(start(dataDir, keyB)).rejects.toThrow(/does not open the secrets stored in the database/);
});

test('an admin command with the wrong key exits 2 with one line that names no key', async () => {
  const { dataDir } = await deployment();
  const result = await runCli(dataDir, keyB, 'user', 'list');
  expect(result.code).toBe(2);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^oauth-gateway: the secret key \(GATEWAY_SECRET_KEY \/ secretKey\) does not open/);
  expect(result.stderr).not.toContain(keyA);
  expect(result.stderr).not.toContain(keyB);
});

test('a bad new key is refused with one line and changes nothing', async () => {
  const { dataDir } = await deployment();
  const result = await runCli(dataDir, keyA, 'secrets', 'rotate', '--new-key', 'too-short');
  expect([result.code, result.stderr.trim()]).toEqual([2, 'oauth-gateway: --new-key must be 32 bytes, as 64 hex characters or base64']);
  const same = await runCli(dataDir, keyA, 'secrets', 'rotate', '--new-key', keyA);
  expect([same.code, same.stderr.trim()]).toEqual([2, 'oauth-gateway: the new key is the key in use']);
  expect((await runCli(dataDir, keyA, 'user', 'list')).code).toBe(0);
});

test('rotate with the wrong current key is refused and changes nothing', async () => {
  const { dataDir } = await deployment();
  expect((await runCli(dataDir, keyB, 'secrets', 'rotate', '--new-key', keyC)).code).toBe(2);
  expect((await runCli(dataDir, keyA, 'user', 'list')).code).toBe(0);
});

test('rotate re-seals every secret: the consumer and its existing token work with the new key, and the old key no longer starts', async () => {
  const { dataDir, consumer, token } = await deployment();
  const rotated = await runCli(dataDir, keyA, 'secrets', 'rotate', '--new-key', keyB, '--json');
  expect(rotated.code).toBe(0);
  // One consumer secret and one access token secret (the xAuth exchange left no request token).
  expect(JSON.parse(rotated.stdout)).toEqual({ resealed: 2, keyFile: null });
  expect(rotated.stdout + rotated.stderr).not.toContain(keyB);

  await expect(start(dataDir, keyA)).rejects.toBeInstanceOf(SecretKeyMismatchError);
  running = await start(dataDir, keyB);
  const me = await client(running, consumer).whoami(token);
  expect([me.status, me.json?.username]).toEqual([200, user.username]);
  // A consumer-signed request opens the consumer secret from the database.
  expect((await client(running, consumer).requestToken()).result.status).toBe(200);
});

test('a node left running with the old key answers 503 with a clear log line, never 500', async () => {
  const { dataDir, consumer } = await deployment();
  running = await start(dataDir, keyA);
  expect((await runCli(dataDir, keyA, 'secrets', 'rotate', '--new-key', keyB)).code).toBe(0);
  const res = await client(running, consumer).requestToken();
  expect(res.result.status).toBe(503);
  expect(res.result.text).not.toMatch(/stack|Error:/);
  expect(logs.join('')).toContain("a stored secret does not open with this node's secret key");
  await stopRunning();
  running = await start(dataDir, keyB);
  expect((await client(running, consumer).requestToken()).result.status).toBe(200);
});

test('with the generated key file, rotate replaces the file and the gateway starts with it', async () => {
  const { dataDir, consumer } = await deployment(null);
  const file = path.join(dataDir, 'secret.key');
  const rotated = await runCli(dataDir, null, 'secrets', 'rotate', '--new-key', keyC, '--json');
  expect(rotated.code).toBe(0);
  expect(JSON.parse(rotated.stdout)).toEqual({ resealed: 2, keyFile: file });
  expect(fs.readFileSync(file, 'utf8')).toBe(keyC + '\n');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.existsSync(file + '.new')).toBe(false);

  running = await start(dataDir, null);
  expect((await client(running, consumer).requestToken()).result.status).toBe(200);
});
