import type { DataSource } from 'typeorm';
import { createDataSource, type DatabaseOptions } from './data-source';
import { rootExecutor, sqliteTransaction, transactionExecutor, type StoreKind } from './executor';
import { runMigrations } from './migrate';
import { TransactionScope } from './transaction-scope';
import { makeRepositories } from './repositories';
import { sweepExpired } from './sweep';
import type { Repositories, Store } from './types';
import { WriteQueue } from './write-queue';

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
    applied = await runMigrations(ds);
  } catch (err) {
    await ds.destroy().catch(() => undefined);
    throw err;
  }
  if (!postgres) return { store: storeOver(ds), applied };
  await ds.destroy();
  const serving = createDataSource(options);
  await serving.initialize();
  return { store: storeOver(serving), applied };
}

/** A Store over an initialized, migrated DataSource. */
function storeOver(ds: DataSource): Store {
  const kind: StoreKind = ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
  const queue = new WriteQueue();
  const scope = new TransactionScope();
  const root = rootExecutor(kind, ds.manager, queue, scope);
  let closed: Promise<void> | undefined;

  return {
    kind,
    ...makeRepositories(root),

    transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
      if (scope.inside()) {
        return Promise.reject(new Error('transaction() called inside a transaction: use the one you are in'));
      }
      const inside = (m: typeof ds.manager) => scope.run(() => fn(makeRepositories(transactionExecutor(kind, m))));
      if (kind === 'sqlite') return queue.run(() => sqliteTransaction(ds.manager, inside));
      return ds.transaction(inside);
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
      // Writes already queued finish first; closing twice is harmless.
      closed ??= queue.drain().then(() => (ds.isInitialized ? ds.destroy() : undefined));
      return closed;
    },
  };
}
