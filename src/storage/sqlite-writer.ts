import type sqlite3 from 'sqlite3';
import type { DataSource } from 'typeorm';
import { GroupCommit, type BatchSession } from './group-commit';
import { rowValues, sqliteInsert, type HotTable } from './hot-tables';

/** The sqlite3 connection under TypeORM's SQLite driver (it has exactly one). */
export function sqliteConnection(ds: DataSource): sqlite3.Database {
  const connection = (ds.driver as unknown as { databaseConnection?: sqlite3.Database }).databaseConnection;
  if (!connection) throw new Error('the SQLite data source is not initialized');
  return connection;
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, (err: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * Durability settings, stated rather than inherited: WAL (readers beside the writer, and several
 * processes on one file), synchronous FULL (the WAL is synced at every COMMIT, so an acknowledged
 * token survives a power cut, not only a crash), and a busy timeout so a writer in another process
 * waits for the lock instead of failing.
 */
export async function sqliteDurability(db: sqlite3.Database, busyTimeoutMs: number): Promise<void> {
  await exec(db, 'PRAGMA journal_mode = WAL');
  await exec(db, 'PRAGMA synchronous = FULL');
  await exec(db, `PRAGMA busy_timeout = ${busyTimeoutMs}`);
}

/**
 * The batch's transaction. BEGIN IMMEDIATE takes the write lock at the start (busy_timeout
 * applies), so a transaction that reads before it writes can't fail later because another process
 * wrote in between.
 */
function sqliteBatchSession(db: sqlite3.Database): BatchSession {
  return {
    begin: () => exec(db, 'BEGIN IMMEDIATE'),
    commit: () => exec(db, 'COMMIT'),
    rollback: () => exec(db, 'ROLLBACK'),
    savepoint: () => exec(db, 'SAVEPOINT request'),
    release: () => exec(db, 'RELEASE request'),
    rollbackToSavepoint: () => exec(db, 'ROLLBACK TO request'),
  };
}

export function sqliteGroupCommit(db: sqlite3.Database): GroupCommit {
  return new GroupCommit(sqliteBatchSession(db));
}

/** Token-row INSERTs prepared once on the connection and run with each row's values. */
export class SqliteHotInserts {
  private readonly prepared = new Map<string, sqlite3.Statement>();

  constructor(private readonly db: sqlite3.Database) {}

  insert<R>(t: HotTable<R>, row: R): Promise<void> {
    let statement = this.prepared.get(t.table);
    if (!statement) {
      statement = this.db.prepare(sqliteInsert(t as HotTable<unknown>));
      this.prepared.set(t.table, statement);
    }
    const s = statement;
    return new Promise((resolve, reject) => s.run(rowValues(t, row), (err: Error | null) => (err ? reject(err) : resolve())));
  }

  /** Statements must be finalized before the connection closes. */
  async finalize(): Promise<void> {
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(statements.map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
  }
}
