import fs from 'node:fs';
import path from 'node:path';
import { createDataSource, openStore, sqliteFile, type Store } from '../../src/storage';
import { tempDataDir } from '../helpers/sqlite';
import { storageContract } from './storage.contract';
import { NOW, authorizationCode, profile, user, winners } from './storage.contract-fixtures';

storageContract({
  kind: 'sqlite',
  async create() {
    const dir = tempDataDir('storage');
    return { options: { databaseUrl: null, dataDir: dir.dir }, dispose: async () => dir.remove() };
  },
});

describe('SQLite specifics', () => {
  let dir: ReturnType<typeof tempDataDir>;
  beforeEach(() => {
    dir = tempDataDir('storage');
  });
  afterEach(() => dir.remove());

  test('the database file is created inside the data dir, which is created if missing', async () => {
    const dataDir = path.join(dir.dir, 'nested', 'data');
    const store = await openStore({ databaseUrl: null, dataDir });
    await store.close();
    expect(fs.existsSync(path.join(dataDir, 'gateway.sqlite'))).toBe(true);
    expect(sqliteFile(dataDir)).toBe(path.join(dataDir, 'gateway.sqlite'));
  });

  test('connections use WAL, a 5 s busy timeout and foreign keys', async () => {
    const ds = createDataSource({ databaseUrl: null, dataDir: dir.dir });
    await ds.initialize();
    try {
      expect(await ds.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await ds.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
      expect(await ds.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    } finally {
      await ds.destroy();
    }
  });

  test("a failing query's driver error does not carry its parameters (sqlite3 is not in verbose mode)", async () => {
    const ds = createDataSource({ databaseUrl: null, dataDir: dir.dir });
    await ds.initialize();
    try {
      const failure = await ds.query('SELECT * FROM no_such_table WHERE x = ?', ['needle-parameter']).catch((err: unknown) => err);
      const driverError = (failure as { driverError?: Error }).driverError;
      expect(driverError?.message).toMatch(/no such table/);
      expect(String(driverError?.stack)).not.toContain('needle-parameter');
    } finally {
      await ds.destroy();
    }
  });

  describe('two stores on one file (the CLI beside the server)', () => {
    let server: Store;
    let cli: Store;
    beforeEach(async () => {
      server = await openStore({ databaseUrl: null, dataDir: dir.dir });
      cli = await openStore({ databaseUrl: null, dataDir: dir.dir });
    });
    afterEach(async () => {
      await Promise.all([server.close(), cli.close()]);
    });

    test('concurrent transactions and plain writes from both succeed and both see every row', async () => {
      const work = (store: Store) => {
        const profiles = Array.from({ length: 25 }, () => profile());
        const users = Array.from({ length: 25 }, () => user());
        const done = Promise.allSettled([
          ...profiles.map((p) => store.transaction((tx) => tx.profiles.create(p))),
          ...users.map((u) => store.users.create(u)),
        ]);
        return { done, ids: [...profiles.map((p) => p.id), ...users.map((u) => u.id)] };
      };
      const a = work(server);
      const b = work(cli);
      const outcomes = [...(await a.done), ...(await b.done)];
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
      for (const store of [server, cli]) {
        const seen = new Set([...(await store.profiles.list()), ...(await store.users.list())].map((r) => r.id));
        expect([...a.ids, ...b.ids].filter((x) => !seen.has(x))).toEqual([]);
      }
    });

    test('an authorization code consumed from both at once has exactly one winner', async () => {
      const code = authorizationCode();
      await server.authorizationCodes.insert(code);
      const count = await winners(10, (i) => (i % 2 ? server : cli).authorizationCodes.consume(code.digest, NOW));
      expect(count).toBe(1);
    });
  });
});
