import { onPostgres, type PostgresSchema } from './postgres';
import type { Store } from '../../src/storage/types';

/**
 * PostgreSQL: lets a burst of requests reach the store's writer together, whatever the machine's load: a
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

/**
 * The same on SQLite, where the store's one connection is also the one its reads use (a lock taken
 * from outside would stall those too): a transaction of the test's own keeps the store's writer busy,
 * so every write of the burst queues behind it, and it ends once `waiting` writes are queued; they
 * then go in together, as they would if they had arrived together. Answers the burst's answers and
 * how many commits the writer made for them (the holding transaction's own not counted).
 */
export async function holdingSqliteWriter<T>(store: Store, waiting: number, burst: () => Promise<T>): Promise<{ answered: T; commits: number }> {
  let letGo!: () => void;
  const gate = new Promise<void>((resolve) => (letGo = resolve));
  let entered!: () => void;
  const holding = new Promise<void>((resolve) => (entered = resolve));
  const held = store.transaction(async () => {
    entered();
    await gate;
  });
  held.catch(() => undefined);
  await Promise.race([holding, held]);
  let answered: Promise<T>;
  try {
    answered = burst();
    answered.catch(() => undefined);
    // The holding transaction is one of the writes waiting.
    await until(() => store.commitStats().waiting >= waiting + 1);
  } finally {
    letGo();
  }
  await held;
  // The holding batch has committed; the burst's batch has not (it is only now beginning).
  const commitsBefore = store.commitStats().commits;
  const result = await answered;
  return { answered: result, commits: store.commitStats().commits - commitsBefore };
}

async function until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('the writes never queued up behind the held lock');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
