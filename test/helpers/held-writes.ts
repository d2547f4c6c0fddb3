import { onPostgres, type PostgresSchema } from './postgres';
import type { Store } from '../../src/storage/types';

/**
 * Lets a burst of requests reach the store's writer together, whatever the machine's load: a
 * connection of the test's own locks tables of the gateway's PostgreSQL schema (SHARE ROW
 * EXCLUSIVE: reads go on, every INSERT and UPDATE waits), the burst starts, and the lock is let go
 * only once `waiting` writes are queued in the store. Without it, a slow machine spreads the
 * requests over as many transactions as it likes, and a test counting transactions measures the
 * machine rather than the batching.
 */
export async function holdingWrites<T>(
  pg: PostgresSchema,
  tables: string[],
  store: Store,
  waiting: number,
  burst: () => Promise<T>,
): Promise<T> {
  return onPostgres(pg.url, async (ds) => {
    const lock = ds.createQueryRunner();
    await lock.connect();
    try {
      await lock.startTransaction();
      for (const table of tables) await lock.query(`LOCK TABLE "${pg.schema}"."${table}" IN SHARE ROW EXCLUSIVE MODE`);
      const answered = burst();
      // The lock is given back on every path: a burst that fails early must not leave it held.
      answered.catch(() => undefined);
      try {
        await until(() => store.commitStats().waiting >= waiting);
      } finally {
        await lock.commitTransaction();
      }
      return await answered;
    } finally {
      await lock.release();
    }
  });
}

async function until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('the writes never queued up behind the held lock');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
