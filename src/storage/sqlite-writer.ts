import type sqlite3 from 'sqlite3';
import type { DataSource } from 'typeorm';
import { GroupCommit, type BatchSession, type SharedStatement } from './group-commit';
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
 * How long the connection's own busy handler may wait for a lock once the store serves requests.
 * SQLite's busy handler sleeps inside the statement, holding the connection's mutex, and sqlite3
 * finalizes statements on the JavaScript thread, which takes that mutex: while a BEGIN IMMEDIATE
 * slept there waiting for another connection's write lock, the next finished read of the
 * connection stopped the whole event loop until the wait ended. Another process then only froze
 * this one for a while; another connection of the same process (two stores, as in a test of two
 * nodes) could not commit without the event loop, so it kept its lock and the wait ran out: a
 * deadlock ended by SQLITE_BUSY (503). The write lock is waited for by the batch instead
 * (beginImmediate: retried between event-loop turns), and this short wait only rides out a
 * momentary lock (a reader meeting a checkpoint).
 */
export const SERVING_BUSY_TIMEOUT_MS = 20;

const isBusy = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'SQLITE_BUSY';

/**
 * BEGIN IMMEDIATE, retried while another connection holds the write lock, for up to `lockWaitMs`
 * (database.statementTimeoutSeconds); then its SQLITE_BUSY (503). A BEGIN that failed opened
 * nothing, so trying again is safe; between tries the event loop runs.
 */
export async function beginImmediate(db: sqlite3.Database, lockWaitMs: number): Promise<void> {
  const deadline = performance.now() + lockWaitMs;
  let pause = 1;
  for (;;) {
    try {
      await exec(db, 'BEGIN IMMEDIATE');
      return;
    } catch (err) {
      if (!isBusy(err) || performance.now() + pause >= deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 25);
  }
}

/**
 * The batch's transaction. BEGIN IMMEDIATE takes the write lock at the start (waiting for it up to
 * `lockWaitMs`), so a transaction that reads before it writes can't fail later because another
 * process wrote in between.
 */
function sqliteBatchSession(db: sqlite3.Database, lockWaitMs: number): BatchSession {
  return {
    begin: () => beginImmediate(db, lockWaitMs),
    commit: () => exec(db, 'COMMIT'),
    rollback: () => exec(db, 'ROLLBACK'),
    savepoint: () => exec(db, 'SAVEPOINT request'),
    release: () => exec(db, 'RELEASE request'),
    rollbackToSavepoint: () => exec(db, 'ROLLBACK TO request'),
    // synchronous FULL syncs an autocommitted statement like a COMMIT.
    autocommit: { retryable: isBusy },
  };
}

/** The store's writer; call servingBusyTimeout on the connection first (see SERVING_BUSY_TIMEOUT_MS). */
export function sqliteGroupCommit(db: sqlite3.Database, lockWaitMs: number): GroupCommit {
  return new GroupCommit(sqliteBatchSession(db, lockWaitMs));
}

/** Once migrated, the connection's busy handler waits only briefly (see SERVING_BUSY_TIMEOUT_MS). */
export function servingBusyTimeout(db: sqlite3.Database): Promise<void> {
  return exec(db, `PRAGMA busy_timeout = ${SERVING_BUSY_TIMEOUT_MS}`);
}

// The most `?` an old SQLite build accepts in one statement (SQLITE_MAX_VARIABLE_NUMBER before 3.32).
const MAX_VARIABLES = 999;

/** How many rows of `t` one INSERT takes: as many as fit in SQLite's oldest variable limit. */
export function rowsPerStatement(t: HotTable<unknown>): number {
  return Math.max(1, Math.floor(MAX_VARIABLES / t.columns.length));
}

interface WaitingRow {
  values: unknown[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

// Prepared multi-row INSERTs kept on the connection, one per table and row count.
const PREPARED_LIMIT = 64;

const isConstraint = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT';

/**
 * Token-row INSERTs, through statements prepared once on the connection: one row at a time, or the
 * rows of one group-commit batch together (insertTogether).
 */
export class SqliteHotInserts {
  private readonly prepared = new Map<string, sqlite3.Statement>();
  private readonly preparing = new Map<string, Promise<void>>();
  private finalizing = false;
  private readonly waiting = new Map<HotTable<unknown>, WaitingRow[]>();
  private flushQueued = false;
  private readonly statements = new Map<HotTable<unknown>, SharedStatement>();

  constructor(private readonly db: sqlite3.Database) {}

  insert<R>(t: HotTable<R>, row: R): Promise<void> {
    return this.runPrepared(t as HotTable<unknown>, rowValues(t, row));
  }

  /**
   * A row of a batch: the rows handed over in the same turn (the group commit starts all of a
   * batch's single statements at once) go in as one multi-row INSERT per table, one trip to the
   * connection's thread instead of one per row. A unique violation undoes the whole statement (and
   * only it: the transaction stays), so the rows then go in one by one and only the refused row's
   * caller hears of it. Any other failure reaches every row's caller, as the batch fails anyway.
   */
  insertTogether<R>(t: HotTable<R>, row: R): Promise<void> {
    return new Promise((resolve, reject) => {
      const table = t as HotTable<unknown>;
      let rows = this.waiting.get(table);
      if (!rows) this.waiting.set(table, (rows = []));
      rows.push({ values: rowValues(t, row), resolve, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  /** What the group commit is told: rows of `t` handed over together become one statement. */
  statementOf(t: HotTable<unknown>): SharedStatement {
    let statement = this.statements.get(t);
    if (!statement) this.statements.set(t, (statement = { key: t.table, limit: rowsPerStatement(t) }));
    return statement;
  }

  private flush(): void {
    this.flushQueued = false;
    const tables = [...this.waiting];
    this.waiting.clear();
    for (const [t, rows] of tables) {
      const perStatement = rowsPerStatement(t);
      for (let i = 0; i < rows.length; i += perStatement) this.insertRows(t, rows.slice(i, i + perStatement));
    }
  }

  private insertRows(t: HotTable<unknown>, rows: WaitingRow[]): void {
    const oneByOne = () => {
      for (const row of rows) this.runPrepared(t, row.values).then(row.resolve, row.reject);
    };
    if (rows.length === 1) return oneByOne();
    const done = (err: Error | null) => {
      if (!err) for (const row of rows) row.resolve();
      else if (isConstraint(err)) oneByOne();
      else for (const row of rows) row.reject(err);
    };
    const values = rows.flatMap((row) => row.values);
    const statement = this.statement(t, rows.length);
    if (statement) statement.run(values, done);
    else this.db.run(sqliteInsert(t, rows.length), values, done);
  }

  private runPrepared(t: HotTable<unknown>, values: unknown[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err: Error | null) => (err ? reject(err) : resolve());
      const statement = this.statement(t, 1);
      if (statement) statement.run(values, done);
      else this.db.run(sqliteInsert(t), values, done);
    });
  }

  /**
   * The INSERT of `rows` rows into `t` prepared on the connection, or null while it is not (yet):
   * the caller then has SQLite prepare it for the one run (db.run). A statement joins the kept ones
   * only once SQLite prepared it: a run queued on a statement whose preparation failed would never
   * be answered. Batch sizes vary, so statements for up to PREPARED_LIMIT sizes are kept.
   */
  private statement(t: HotTable<unknown>, rows: number): sqlite3.Statement | null {
    const key = `${t.table}/${rows}`;
    const ready = this.prepared.get(key);
    if (ready) return ready;
    if (!this.preparing.has(key) && this.prepared.size + this.preparing.size < PREPARED_LIMIT && !this.finalizing) {
      this.preparing.set(
        key,
        new Promise<void>((resolve) => {
          const statement = this.db.prepare(sqliteInsert(t, rows), (err: Error | null) => {
            this.preparing.delete(key);
            // A failed one is left alone (db.run keeps serving); one that finished after finalize() started is finalized.
            if (!err && !this.finalizing) this.prepared.set(key, statement);
            else if (!err) statement.finalize();
            resolve();
          });
        }),
      );
    }
    return null;
  }

  /** Statements must be finalized before the connection closes. */
  async finalize(): Promise<void> {
    this.finalizing = true;
    await Promise.all(this.preparing.values());
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(statements.map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
  }
}
