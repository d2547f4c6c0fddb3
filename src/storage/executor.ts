import type { EntityManager } from 'typeorm';
import type { GroupCommit } from './group-commit';
import type { HotTable } from './hot-tables';
import type { PostgresHotInserts } from './pg-hot-inserts';
import { postgresInsertIn } from './pg-writer';
import type { SqliteHotInserts } from './sqlite-writer';
import type { TransactionScope } from './transaction-scope';

export type StoreKind = 'sqlite' | 'postgres';

/** Inserts one token row (see hot-tables.ts); a unique violation is the caller's to word. */
export type HotInsert = <R>(t: HotTable<R>, row: R) => Promise<void>;

/**
 * How repositories reach the database: directly, through the SQLite group commit, or inside a
 * transaction. Repositories read through `manager` and write through `write`/`unit`/`insertHot`,
 * so one repository implementation serves every case.
 */
export interface Executor {
  readonly kind: StoreKind;
  /** For reads. On SQLite a read never waits for the writer (WAL readers don't block). */
  readonly manager: EntityManager;
  /** One write statement. */
  write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T>;
  /** Several statements that must not interleave with other writes: a transaction unless already in one. */
  unit<T>(fn: (m: EntityManager) => Promise<T>): Promise<T>;
  /** A token row, through the driver's prepared statement (batched outside a transaction). */
  insertHot: HotInsert;
}

/** Where the store's writes go, by database. */
export type WritePath =
  | { kind: 'sqlite'; commit: GroupCommit; hot: SqliteHotInserts }
  | { kind: 'postgres'; hot: PostgresHotInserts; commit: GroupCommit<EntityManager> };

function outsideTransaction<T>(scope: TransactionScope, run: () => Promise<T>): Promise<T> {
  // Inside transaction() a write through the store itself would wait for the transaction that is
  // waiting for it: on SQLite behind it in the group commit, on PostgreSQL on its row locks. Fail instead.
  if (scope.inside()) {
    return Promise.reject(new Error('store written from inside transaction(): use the repositories passed to the callback'));
  }
  return run();
}

/**
 * The executor outside any transaction. On SQLite every write joins the group commit: a single
 * statement as it is, several in a savepoint of the batch's transaction. On PostgreSQL a unit of
 * several statements joins the group commit (a savepoint of the batch's transaction); a single
 * statement runs on the pool and commits on its own (PostgreSQL would abort the whole batch's
 * transaction for one failed statement, so it would need a savepoint: three round trips on the
 * batch's one connection instead of one on any); token rows go in as multi-row INSERTs.
 */
export function rootExecutor(manager: EntityManager, path: WritePath, scope: TransactionScope): Executor {
  if (path.kind === 'sqlite') {
    const { commit, hot } = path;
    return {
      kind: 'sqlite',
      manager,
      write: (fn) => outsideTransaction(scope, () => commit.run(() => fn(manager), false)),
      unit: (fn) => outsideTransaction(scope, () => commit.run(() => fn(manager), true)),
      insertHot: (t, row) => outsideTransaction(scope, () => commit.run(() => hot.insertTogether(t, row), false, hot.statementOf(t as HotTable<unknown>))),
    };
  }
  return {
    kind: 'postgres',
    manager,
    write: (fn) => outsideTransaction(scope, () => fn(manager)),
    unit: (fn) => outsideTransaction(scope, () => path.commit.run(fn, true)),
    insertHot: (t, row) => outsideTransaction(scope, () => path.hot.insert(t, row)),
  };
}

/**
 * The executor inside a transaction: statements run as they come, the transaction already isolates
 * them. On SQLite that is the batch's transaction on the one connection, so the prepared statements
 * serve; on PostgreSQL the batch's connection runs a named (prepared) INSERT.
 */
export function transactionExecutor(manager: EntityManager, path: WritePath): Executor {
  const insertHot: HotInsert =
    path.kind === 'sqlite'
      ? (t, row) => path.hot.insert(t, row)
      : (t, row) => postgresInsertIn(manager, t, row);
  return { kind: path.kind, manager, write: (fn) => fn(manager), unit: (fn) => fn(manager), insertHot };
}
