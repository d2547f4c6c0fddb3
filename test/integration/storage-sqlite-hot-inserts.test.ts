import path from 'node:path';
import sqlite3 from 'sqlite3';
import { ACCESS_TOKENS } from '../../src/storage/hot-tables';
import { SqliteHotInserts } from '../../src/storage/sqlite-writer';
import type { AccessTokenRow } from '../../src/storage/types';
import { accessTokenRow } from '../helpers/access-token-rows';
import { tempDataDir, type TempDir } from '../helpers/sqlite';

// The rows of one group-commit batch go into SQLite as multi-row INSERTs (issue 13 item 1), on a
// real SQLite file: what SQLite executed is read from its own trace, and a row a unique constraint
// refuses fails alone.

const run = (db: sqlite3.Database, sql: string, params: unknown[] = []) =>
  new Promise<void>((resolve, reject) => db.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve())));
const all = <T>(db: sqlite3.Database, sql: string) =>
  new Promise<T[]>((resolve, reject) => db.all(sql, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));

describe('SqliteHotInserts.insertTogether', () => {
  let temp: TempDir;
  let db: sqlite3.Database;
  let hot: SqliteHotInserts;
  let executed: string[];

  beforeEach(async () => {
    temp = tempDataDir('hot-inserts');
    db = new sqlite3.Database(path.join(temp.dir, 'hot.sqlite'));
    const columns = ACCESS_TOKENS.columns.map((c) => (c === 'digest' ? '"digest" TEXT PRIMARY KEY' : `"${c}"`)).join(', ');
    await run(db, `CREATE TABLE "${ACCESS_TOKENS.table}" (${columns})`);
    hot = new SqliteHotInserts(db);
    executed = [];
    db.on('trace', (sql: string) => {
      if (sql.startsWith('INSERT')) executed.push(sql);
    });
  });

  afterEach(async () => {
    await hot.finalize();
    await new Promise<void>((resolve) => db.close(() => resolve()));
    temp.remove();
  });

  const rows = (n: number): AccessTokenRow[] => Array.from({ length: n }, () => accessTokenRow('hot'));
  const stored = async () => (await all<{ digest: string }>(db, `SELECT "digest" FROM "${ACCESS_TOKENS.table}"`)).map((r) => r.digest).sort();
  const tuples = (sql: string) => sql.split('), (').length;
  /**
   * The INSERTs SQLite traced, once `count` of them are in: node-sqlite3 hands trace events over
   * through an async handle of their own, so one can land after the callback of the statement it
   * traced. A short wait after that catches any that follow.
   */
  const traced = async (count: number): Promise<string[]> => {
    for (let i = 0; i < 300 && executed.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 30));
    return executed;
  };

  test('rows handed over in one turn go in as one statement, every row stored', async () => {
    const batch = rows(40);
    await Promise.all(batch.map((row) => hot.insertTogether(ACCESS_TOKENS, row)));
    expect(await traced(1)).toHaveLength(1);
    expect(tuples(executed[0])).toBe(40);
    expect(await stored()).toEqual(batch.map((r) => r.digest).sort());
  });

  test('a batch larger than one statement may bind is split, nothing lost', async () => {
    const batch = rows(250);
    await Promise.all(batch.map((row) => hot.insertTogether(ACCESS_TOKENS, row)));
    // 10 columns: 99 rows per statement under SQLite's oldest limit of 999 variables.
    expect((await traced(3)).map(tuples).sort((a, b) => b - a)).toEqual([99, 99, 52]);
    expect(await stored()).toHaveLength(250);
  });

  test('a duplicate among them fails alone: its caller hears the constraint, the others are stored', async () => {
    const [existing] = rows(1);
    await hot.insert(ACCESS_TOKENS, existing);
    const batch = rows(10);
    const duplicate = { ...accessTokenRow('hot'), digest: existing.digest };
    const results = await Promise.allSettled([...batch.slice(0, 5), duplicate, ...batch.slice(5)].map((row) => hot.insertTogether(ACCESS_TOKENS, row)));
    expect(results.map((r) => r.status)).toEqual([...Array(5).fill('fulfilled'), 'rejected', ...Array(5).fill('fulfilled')]);
    expect(((results[5] as PromiseRejectedResult).reason as { code?: string }).code).toBe('SQLITE_CONSTRAINT');
    expect(await stored()).toEqual([existing, ...batch].map((r) => r.digest).sort());
  });

  test('the same batch size again (now on the statement kept from the first): every row stored', async () => {
    for (let round = 0; round < 3; round++) await Promise.all(rows(7).map((row) => hot.insertTogether(ACCESS_TOKENS, row)));
    expect((await traced(3)).map(tuples)).toEqual([7, 7, 7]);
    expect(await stored()).toHaveLength(21);
  });

  test('a statement SQLite cannot prepare answers with its error instead of never answering', async () => {
    await run(db, `DROP TABLE "${ACCESS_TOKENS.table}"`);
    // A run queued on a statement whose preparation failed is never called back (node-sqlite3).
    await expect(hot.insert(ACCESS_TOKENS, rows(1)[0])).rejects.toThrow(/no such table/);
    await expect(hot.insert(ACCESS_TOKENS, rows(1)[0])).rejects.toThrow(/no such table/);
  });

  test('any other failure reaches every row of the statement', async () => {
    await run(db, `DROP TABLE "${ACCESS_TOKENS.table}"`);
    const results = await Promise.allSettled(rows(3).map((row) => hot.insertTogether(ACCESS_TOKENS, row)));
    expect(results.every((r) => r.status === 'rejected' && /no such table/.test(String(r.reason)))).toBe(true);
  });
});
