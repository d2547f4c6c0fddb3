import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/storage';
import { cliRunner } from '../helpers/cli';

// The data dir holds the SQLite database (password hashes, sealed secrets, token digests) and the
// generated secret key: whichever command creates them first, they are private to the gateway's
// user (the dir 0700, the files 0600), also under the usual umask 022. (serve: test/e2e.)

const mode = (file: string) => fs.statSync(file).mode & 0o777;

let root: string;
let umask: number;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-modes-'));
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
  fs.rmSync(root, { recursive: true, force: true });
});

test.each([
  ['migrate', ['migrate']],
  ['user add', ['user', 'add', '--username', 'mia', '--password', 'mia-password-1']],
  ['profile list', ['profile', 'list']],
  ['consumer add', ['consumer', 'add', '--name', 'Legacy']],
])('%s creates the data dir 0700 and the database files 0600', async (name, args) => {
  const dataDir = path.join(root, name.replace(/\W/g, '-'), 'data');
  const cli = cliRunner({ GATEWAY_DATA_DIR: dataDir });
  try {
    const result = await cli.run(...args);
    expect(result.code).toBe(0);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'gateway.sqlite'))).toBe(0o600);
    if (fs.existsSync(path.join(dataDir, 'secret.key'))) expect(mode(path.join(dataDir, 'secret.key'))).toBe(0o600);

    // The write-ahead log and shared-memory files appear while a process has the database open.
    const store = await openStore({ databaseUrl: null, dataDir });
    try {
      await store.profiles.list();
      for (const file of ['gateway.sqlite-wal', 'gateway.sqlite-shm']) expect(mode(path.join(dataDir, file))).toBe(0o600);
    } finally {
      await store.close();
    }
  } finally {
    cli.cleanup();
  }
});
