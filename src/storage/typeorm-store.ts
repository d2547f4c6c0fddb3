import type { DataSource } from 'typeorm';
import { createDataSource, destroyDataSource, DEFAULT_DATABASE_TIMEOUTS, type DatabaseOptions } from './data-source';
import { rootExecutor, transactionExecutor, type WritePath } from './executor';
import { PostgresHotInserts, postgresPool } from './pg-hot-inserts';
import { postgresGroupCommit } from './pg-writer';
import { SqliteHotInserts, servingBusyTimeout, sqliteConnection, sqliteDurability, sqliteGroupCommit } from './sqlite-writer';
import { runMigrations } from './migrate';
import { TransactionScope } from './transaction-scope';
import { makeRepositories } from './repositories';
import { sweepExpired } from './sweep';
import type { CommitStats, Repositories, Store } from './types';

export type StoreOptions = DatabaseOptions;

/** Opens the database (SQLite file by default, PostgreSQL by URL) and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  return (await openStoreMigrating(options)).store;
}

/** openStore, also naming the migrations it applied (`oauth-gateway migrate` prints them). */
export async function openStoreMigrating(options: StoreOptions): Promise<{ store: Store; applied: string[] }> {
  // PostgreSQL migrates on connections of its own without the statement and answer limits (a
  // migration may take long, or wait on the lock while another node migrates); requests then get
  // connections with the limits.
  const postgres = options.databaseUrl !== null;
  const ds = createDataSource(postgres ? { ...options, timeouts: null } : options);
  await ds.initialize();
  let applied: string[];
  try {
    if (ds.options.type === 'sqlite') await sqliteDurability(sqliteConnection(ds), SQLITE_BUSY_TIMEOUT_MS);
    applied = await runMigrations(ds);
    if (ds.options.type === 'sqlite') await servingBusyTimeout(sqliteConnection(ds));
  } catch (err) {
    await destroyDataSource(ds).catch(() => undefined);
    throw err;
  }
  if (!postgres) return { store: storeOver(ds, sqliteLockWaitMs(options)), applied };
  await destroyDataSource(ds);
  const serving = createDataSource(options);
  await serving.initialize();
  return { store: storeOver(serving, 0), applied };
}

/** How long a SQLite migration waits for another process's write lock (several workers share one file). */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** How long a SQLite batch waits for another connection's write lock: database.statementTimeoutSeconds. */
function sqliteLockWaitMs(options: StoreOptions): number {
  return options.timeouts === null ? SQLITE_BUSY_TIMEOUT_MS : (options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS).statementTimeoutSeconds * 1000;
}

function writePath(ds: DataSource, sqliteLockWait: number): WritePath {
  if (ds.options.type === 'postgres') {
    return { kind: 'postgres', hot: new PostgresHotInserts(postgresPool(ds)), commit: postgresGroupCommit(ds) };
  }
  const db = sqliteConnection(ds);
  return { kind: 'sqlite', commit: sqliteGroupCommit(db, sqliteLockWait), hot: new SqliteHotInserts(db) };
}

const addStats = (a: CommitStats, b: CommitStats): CommitStats => ({
  commits: a.commits + b.commits,
  writes: a.writes + b.writes,
  waiting: a.waiting + b.waiting,
});

/** A Store over an initialized, migrated DataSource. */
function storeOver(ds: DataSource, sqliteLockWait: number): Store {
  const path = writePath(ds, sqliteLockWait);
  const kind = path.kind;
  const scope = new TransactionScope();
  const root = rootExecutor(ds.manager, path, scope);
  let closed: Promise<void> | undefined;
  // Everything written so far is committed (or refused) before the connection goes.
  const drain = async () => {
    if (path.kind === 'sqlite') {
      await path.commit.drain();
      await path.hot.finalize();
    } else {
      await path.hot.drain();
      await path.commit.drain();
    }
  };

  return {
    kind,
    ...makeRepositories(root),

    transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
      if (scope.inside()) {
        return Promise.reject(new Error('transaction() called inside a transaction: use the one you are in'));
      }
      const inside = (m: typeof ds.manager) => scope.run(() => fn(makeRepositories(transactionExecutor(m, path))));
      // The callback is one savepoint in the group commit's batch transaction (on SQLite over the
      // one connection, on PostgreSQL over the batch's connection).
      if (path.kind === 'sqlite') return path.commit.run(() => inside(ds.manager), true);
      return path.commit.run((m) => inside(m), true);
    },

    commitStats: () => (path.kind === 'sqlite' ? path.commit.stats() : addStats(path.commit.stats(), path.hot.stats())),

    observeCommits(observer) {
      // SQLite's token rows are statements of the group commit's batches: its batches are all its commits.
      path.commit.observer = observer;
      if (path.kind === 'postgres') path.hot.observer = observer;
    },

    sweepExpired: (now) => sweepExpired(root, now),

    async ping() {
      try {
        await ds.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },

    close() {
      // Writes already submitted finish first; closing twice is harmless.
      closed ??= drain().then(() => destroyDataSource(ds));
      return closed;
    },
  };
}
