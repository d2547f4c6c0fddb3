import type { EntityManager } from 'typeorm';
import type { TransactionScope } from './transaction-scope';
import type { WriteQueue } from './write-queue';

export type StoreKind = 'sqlite' | 'postgres';

/**
 * How repositories reach the database: directly, through the SQLite write queue, or inside a
 * transaction. Repositories read through `manager` and write through `write`/`unit`, so one
 * repository implementation serves every case.
 */
export interface Executor {
  readonly kind: StoreKind;
  /** For reads. On SQLite a read never waits for the write queue (WAL readers don't block). */
  readonly manager: EntityManager;
  /** One write statement. */
  write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T>;
  /** Several statements that must not interleave with other writes: a transaction unless already in one. */
  unit<T>(fn: (m: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * BEGIN IMMEDIATE takes the write lock at the start (busy_timeout applies), so a transaction that
 * reads before it writes can't fail later because another process wrote in between.
 */
export async function sqliteTransaction<T>(manager: EntityManager, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  await manager.query('BEGIN IMMEDIATE');
  let result: T;
  try {
    result = await fn(manager);
  } catch (err) {
    await manager.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  try {
    await manager.query('COMMIT');
  } catch (err) {
    await manager.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return result;
}

function outsideTransaction<T>(scope: TransactionScope, run: () => Promise<T>): Promise<T> {
  // Inside transaction() a write through the store itself would wait for the transaction that is
  // waiting for it: on SQLite behind it in the queue, on PostgreSQL on its row locks. Fail instead.
  if (scope.inside()) {
    return Promise.reject(new Error('store written from inside transaction(): use the repositories passed to the callback'));
  }
  return run();
}

/** The executor outside any transaction. */
export function rootExecutor(kind: StoreKind, manager: EntityManager, queue: WriteQueue, scope: TransactionScope): Executor {
  if (kind === 'sqlite') {
    return {
      kind,
      manager,
      write: (fn) => outsideTransaction(scope, () => queue.run(() => fn(manager))),
      unit: (fn) => outsideTransaction(scope, () => queue.run(() => sqliteTransaction(manager, fn))),
    };
  }
  return {
    kind,
    manager,
    write: (fn) => outsideTransaction(scope, () => fn(manager)),
    unit: (fn) => outsideTransaction(scope, () => manager.transaction(fn)),
  };
}

/** The executor inside a transaction: statements run as they come, the transaction already isolates them. */
export function transactionExecutor(kind: StoreKind, manager: EntityManager): Executor {
  return { kind, manager, write: (fn) => fn(manager), unit: (fn) => fn(manager) };
}
