import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createDataSource, openStore, type StoreOptions } from '../../src/storage';
import { sqliteConnection, sqliteDurability } from '../../src/storage/sqlite-writer';
import { DuplicateError, type AccessTokenRow, type Store } from '../../src/storage/types';
import { buildIfNeeded, repoRoot } from '../helpers/build';
import { POSTGRES_URL, withPostgresSchema, type PostgresSchema } from '../helpers/postgres';
import { tempDataDir, type TempDir } from '../helpers/sqlite';
import { accessTokenRow, ROW_TIME } from '../helpers/access-token-rows';

// The group-commit writer (issue 13 item 1) on real SQLite and PostgreSQL: token rows that arrive
// together commit together, each caller is answered after the commit that holds its row, one
// request's failure stays its own, and an acknowledged token survives a kill -9 of its process.

const T = ROW_TIME;
const accessRow = (over: Partial<AccessTokenRow> = {}): AccessTokenRow => accessTokenRow('gc', over);

describe.each(['sqlite', 'postgres'] as const)('group commit on %s', (database) => {
  let temp: TempDir;
  let schema: PostgresSchema | null = null;
  let options: StoreOptions;
  let store: Store;

  beforeAll(async () => {
    temp = tempDataDir('group-commit');
    schema = database === 'postgres' ? await withPostgresSchema() : null;
    options = { databaseUrl: schema ? POSTGRES_URL : null, dataDir: temp.dir, schema: schema?.schema };
    store = await openStore(options);
  });

  afterAll(async () => {
    await store?.close();
    await schema?.drop();
    temp?.remove();
  });

  /** A second, fresh store over the same database: what a restarted process would see. */
  async function reopened<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    const other = await openStore(options);
    try {
      return await fn(other);
    } finally {
      await other.close();
    }
  }

  test('200 concurrent token rows commit in fewer transactions than rows, each durable once answered', async () => {
    const rows = Array.from({ length: 200 }, () => accessRow());
    const before = store.commitStats();
    await Promise.all(rows.map((row) => store.accessTokens.insert(row)));
    const after = store.commitStats();
    expect(after.writes - before.writes).toBeGreaterThanOrEqual(200);
    expect(after.commits - before.commits).toBeLessThan(200 / 4);
    const found = await reopened((s) => Promise.all(rows.map((row) => s.accessTokens.find(row.digest))));
    expect(found.map((row) => row?.digest)).toEqual(rows.map((row) => row.digest));
  });

  test('a duplicate row in a batch fails alone: the others are committed', async () => {
    const existing = accessRow();
    await store.accessTokens.insert(existing);
    const rows = Array.from({ length: 20 }, () => accessRow());
    const attempts = [...rows.slice(0, 10), { ...existing, clientId: 'intruder' }, ...rows.slice(10)];
    const outcomes = await Promise.allSettled(attempts.map((row) => store.accessTokens.insert(row)));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect((outcomes[10] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateError);
    const found = await reopened((s) => Promise.all(rows.map((row) => s.accessTokens.find(row.digest))));
    expect(found.every((row) => row !== null)).toBe(true);
    expect((await store.accessTokens.find(existing.digest))?.clientId).toBe('app');
  });

  test("a transaction that fails among concurrent ones undoes only its own rows", async () => {
    const good = Array.from({ length: 10 }, () => accessRow());
    const doomed = accessRow();
    const refused = new Error('the grant refused after writing');
    // Each good transaction writes two statements, so a failure that leaked into it would show.
    const transactions = good.map((row) =>
      store.transaction(async (tx) => {
        await tx.accessTokens.insert(row);
        await tx.accessTokens.revoke(row.digest, T + 1);
      }),
    );
    const failing = store.transaction(async (tx) => {
      await tx.accessTokens.insert(doomed);
      throw refused;
    });
    await expect(failing).rejects.toBe(refused);
    await Promise.all(transactions);
    await reopened(async (s) => {
      expect(await s.accessTokens.find(doomed.digest)).toBeNull();
      for (const row of good) expect((await s.accessTokens.find(row.digest))?.revokedAt).toBe(T + 1);
    });
  });

  /** An issuing child (helpers/issuing-child.js); resolves once it has acknowledged `count` tokens. */
  function issuingChild(acknowledged: string[], count: number) {
    const child = spawn(process.execPath, [path.join(repoRoot, 'test', 'helpers', 'issuing-child.js'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let mine = 0;
    const enough = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`issuing child exited early (${code})`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line === 'ready') return;
        acknowledged.push(...line.split(' '));
        if ((mine += 2) >= count) resolve();
      });
    });
    return { child, exited, enough };
  }

  test('acknowledged tokens survive a kill -9 of two processes issuing them into one database at once', async () => {
    buildIfNeeded();
    const acknowledged: string[] = [];
    const children = [issuingChild(acknowledged, 1000), issuingChild(acknowledged, 1000)];
    // Both write at the same time (on SQLite they take turns on the file's write lock), and are
    // killed mid-stream: batches are in flight, the answered ones must all be there.
    await Promise.all(children.map((c) => c.enough));
    for (const c of children) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    expect(acknowledged.length).toBeGreaterThanOrEqual(2000);
    await reopened(async (s) => {
      const missing: string[] = [];
      for (let i = 0; i < acknowledged.length; i += 2) {
        if (!(await s.accessTokens.find(acknowledged[i]))) missing.push(acknowledged[i]);
        if (!(await s.refreshTokens.find(acknowledged[i + 1]))) missing.push(acknowledged[i + 1]);
      }
      expect(missing).toEqual([]);
    });
  }, 120_000);

  if (database === 'sqlite') {
    test('the store sets WAL, synchronous FULL and a busy timeout on its connection', async () => {
      const ds = createDataSource(options);
      await ds.initialize();
      try {
        await sqliteDurability(sqliteConnection(ds), 5000);
        expect((await ds.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
        expect((await ds.query('PRAGMA synchronous'))[0].synchronous).toBe(2);
        expect((await ds.query('PRAGMA busy_timeout'))[0].timeout).toBe(5000);
      } finally {
        await ds.destroy();
      }
    });
  }
});
