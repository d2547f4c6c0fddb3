import path from 'node:path';
import sqlite3 from 'sqlite3';
import type { GroupCommit } from '../../src/storage/group-commit';
import { ACCESS_TOKENS, REFRESH_TOKENS, type HotTable } from '../../src/storage/hot-tables';
import { servingBusyTimeout, sqliteDurability, sqliteGroupCommit, SqliteHotInserts } from '../../src/storage/sqlite-writer';
import type { RefreshTokenRow } from '../../src/storage/types';
import { accessTokenRow, ROW_TIME } from '../helpers/access-token-rows';
import { tempDataDir, type TempDir } from '../helpers/sqlite';

// A group-commit batch that is one statement (token rows of one table, as client_credentials
// writes) commits by itself on SQLite: no BEGIN IMMEDIATE and COMMIT around it, two trips to
// SQLite's thread fewer per batch (issue 13 item 1). Each caller is still answered after the commit
// that holds its row. On a real SQLite file, read through SQLite's own trace and a second connection.

const run = (db: sqlite3.Database, sql: string) =>
  new Promise<void>((resolve, reject) => db.run(sql, (err: Error | null) => (err ? reject(err) : resolve())));
const all = <T>(db: sqlite3.Database, sql: string) =>
  new Promise<T[]>((resolve, reject) => db.all(sql, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));
const close = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));

let temp: TempDir;
let file: string;
let db: sqlite3.Database;
let hot: SqliteHotInserts;
let commit: GroupCommit;
let executed: string[];

const tableSql = <Row>(t: HotTable<Row>, key: string) => `CREATE TABLE "${t.table}" (${t.columns.map((c) => (c === key ? `"${c}" TEXT PRIMARY KEY` : `"${c}"`)).join(', ')})`;

beforeEach(async () => {
  temp = tempDataDir('autocommit');
  file = path.join(temp.dir, 'tokens.sqlite');
  db = new sqlite3.Database(file);
  await sqliteDurability(db, 1000);
  await run(db, tableSql(ACCESS_TOKENS, 'digest'));
  await run(db, tableSql(REFRESH_TOKENS, 'digest'));
  await servingBusyTimeout(db);
  hot = new SqliteHotInserts(db);
  commit = sqliteGroupCommit(db, 10_000);
  executed = [];
  db.on('trace', (sql: string) => executed.push(sql.startsWith('INSERT') ? `INSERT ${sql.split('), (').length}` : sql));
});

afterEach(async () => {
  await commit.drain();
  await hot.finalize();
  await close(db);
  temp.remove();
});

/** A token row as the store's SQLite executor writes it (rootExecutor's insertHot). */
const insertHot = <R>(t: HotTable<R>, row: R) => commit.run(() => hot.insertTogether(t, row), false, hot.statementOf(t as HotTable<unknown>));

const refreshRow = (i: number): RefreshTokenRow => ({
  digest: `refresh-${process.pid}-${i}-${Math.random().toString(36).slice(2)}`,
  familyId: `family-${i}`,
  clientId: 'app',
  userId: 'u1',
  scope: 'read',
  expiresAt: ROW_TIME + 3_600_000,
  rotatedAt: null,
  revokedAt: null,
  createdAt: ROW_TIME,
});

/**
 * The statements SQLite traced, once `arrived` says the last one expected is in: node-sqlite3 hands
 * trace events over through an async handle of their own, so one can land after the callback of the
 * statement it traced (CI once saw none yet). A short wait after that catches any that follow.
 */
async function traced(arrived: (lines: string[]) => boolean): Promise<string[]> {
  for (let i = 0; i < 300 && !arrived(executed); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 30));
  return executed;
}

/** What another connection (a restarted process) reads from the file. */
async function storedDigests(table: string): Promise<string[]> {
  const other = new sqlite3.Database(file);
  try {
    return (await all<{ digest: string }>(other, `SELECT "digest" FROM "${table}"`)).map((r) => r.digest).sort();
  } finally {
    await close(other);
  }
}

test('rows of one table that arrive together commit as one statement, without BEGIN and COMMIT', async () => {
  const rows = Array.from({ length: 30 }, () => accessTokenRow('alone'));
  const before = commit.stats();
  await Promise.all(rows.map((row) => insertHot(ACCESS_TOKENS, row)));
  expect(await traced((lines) => lines.length >= 1)).toEqual(['INSERT 30']);
  expect(commit.stats().commits - before.commits).toBe(1);
  expect(await storedDigests(ACCESS_TOKENS.table)).toEqual(rows.map((r) => r.digest).sort());
});

test('rows of two tables in one batch still commit in one transaction', async () => {
  const access = Array.from({ length: 5 }, () => accessTokenRow('pair'));
  const refresh = access.map((_, i) => refreshRow(i));
  await Promise.all([...access.map((row) => insertHot(ACCESS_TOKENS, row)), ...refresh.map((row) => insertHot(REFRESH_TOKENS, row))]);
  expect(await traced((lines) => lines.includes('COMMIT'))).toEqual(['BEGIN IMMEDIATE', 'INSERT 5', 'INSERT 5', 'COMMIT']);
  expect(await storedDigests(REFRESH_TOKENS.table)).toEqual(refresh.map((r) => r.digest).sort());
});

test('a batch larger than one statement goes in one transaction, every row stored', async () => {
  const rows = Array.from({ length: 150 }, () => accessTokenRow('large'));
  await Promise.all(rows.map((row) => insertHot(ACCESS_TOKENS, row)));
  const lines = await traced((l) => l.includes('COMMIT'));
  expect(lines[0]).toBe('BEGIN IMMEDIATE');
  expect(lines.at(-1)).toBe('COMMIT');
  expect(await storedDigests(ACCESS_TOKENS.table)).toHaveLength(150);
});

test('a duplicate in a one-statement batch fails alone; the other rows are committed', async () => {
  const [existing] = [accessTokenRow('dup')];
  await insertHot(ACCESS_TOKENS, existing);
  const rows = Array.from({ length: 8 }, () => accessTokenRow('dup'));
  const attempts = [...rows.slice(0, 4), { ...accessTokenRow('dup'), digest: existing.digest }, ...rows.slice(4)];
  const outcomes = await Promise.allSettled(attempts.map((row) => insertHot(ACCESS_TOKENS, row)));
  expect(outcomes.map((o) => o.status)).toEqual([...Array(4).fill('fulfilled'), 'rejected', ...Array(4).fill('fulfilled')]);
  expect(((outcomes[4] as PromiseRejectedResult).reason as { code?: string }).code).toBe('SQLITE_CONSTRAINT');
  // The first row's statement and the batch's.
  expect(await traced((lines) => lines.filter((l) => l.startsWith('INSERT')).length >= 2)).not.toContain('BEGIN IMMEDIATE');
  expect(await storedDigests(ACCESS_TOKENS.table)).toEqual([existing, ...rows].map((r) => r.digest).sort());
});

test('while another connection holds the write lock, the batch waits in a transaction and goes in once it is let go', async () => {
  const holder = new sqlite3.Database(file);
  try {
    await run(holder, 'PRAGMA busy_timeout = 1000');
    await run(holder, 'BEGIN IMMEDIATE');
    const rows = Array.from({ length: 6 }, () => accessTokenRow('busy'));
    let settled = false;
    const written = Promise.all(rows.map((row) => insertHot(ACCESS_TOKENS, row))).finally(() => (settled = true));
    // The one statement meets the lock (SQLITE_BUSY: nothing written); the batch then waits for the lock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    expect((await traced((lines) => lines.length >= 1))[0]).toBe('INSERT 6');
    await run(holder, 'COMMIT');
    await written;
    expect((await traced((lines) => lines.includes('COMMIT'))).slice(-3)).toEqual(['BEGIN IMMEDIATE', 'INSERT 6', 'COMMIT']);
    expect(await storedDigests(ACCESS_TOKENS.table)).toEqual(rows.map((r) => r.digest).sort());
  } finally {
    await close(holder);
  }
});
