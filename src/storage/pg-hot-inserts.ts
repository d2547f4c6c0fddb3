import type { DataSource } from 'typeorm';
import type { CommitObserver, CommitStats } from './types';
import { postgresInsert, rowValues, type HotTable } from './hot-tables';

/** What is used of pg's Pool (the project has no @types/pg): a named, parameterised query. */
export interface Pool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** The pg pool under TypeORM's PostgreSQL driver. */
export function postgresPool(ds: DataSource): Pool {
  const pool = (ds.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the PostgreSQL data source is not initialized');
  return pool;
}

interface Pending {
  values: unknown[];
  key: unknown;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A row of the batch that a unique constraint refused (the others went in). */
export class RowRefused extends Error {
  constructor() {
    super('a unique constraint refused the row');
    this.name = 'RowRefused';
  }
}

/**
 * Group commit of token rows on PostgreSQL: the rows of one table that arrive in the same turn (or
 * while the table's earlier batches are in flight) go in with ONE multi-row INSERT, a named
 * (prepared) statement on the pool: one round trip and one commit for the batch, several batches in
 * flight on different connections. ON CONFLICT DO NOTHING RETURNING the keys tells each row's fate
 * on its own: a row missing from the answer was refused (RowRefused), the others are committed.
 * Any other error re-runs the batch's rows one by one, so one bad row fails only its request.
 */
export class PostgresHotInserts {
  private readonly queues = new Map<HotTable<unknown>, Pending[]>();
  private readonly inFlight = new Map<HotTable<unknown>, number>();
  private readonly counts = { commits: 0, writes: 0 };
  private outstanding = 0;
  private idleWaiters: Array<() => void> = [];
  /** Told each multi-row INSERT's duration (it commits on its own) and whether it went in. */
  observer: CommitObserver | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly maxRows = 64,
    private readonly maxInFlight = 3,
  ) {}

  insert<R>(t: HotTable<R>, row: R): Promise<void> {
    const table = t as HotTable<unknown>;
    this.outstanding++;
    const done = () => {
      if (--this.outstanding === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
    return new Promise<void>((resolve, reject) => {
      let queue = this.queues.get(table);
      if (!queue) this.queues.set(table, (queue = []));
      queue.push({ values: rowValues(t, row), key: row[t.key], resolve, reject });
      if (queue.length === 1) setImmediate(() => this.flush(table));
    }).finally(done);
  }

  /** Resolves once every row handed in so far has been written or refused (before the pool closes). */
  drain(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): CommitStats {
    return { ...this.counts, waiting: this.outstanding };
  }

  private flush(t: HotTable<unknown>): void {
    const queue = this.queues.get(t) ?? [];
    while (queue.length > 0 && (this.inFlight.get(t) ?? 0) < this.maxInFlight) {
      const batch = queue.splice(0, this.maxRows);
      this.inFlight.set(t, (this.inFlight.get(t) ?? 0) + 1);
      void this.write(t, batch).finally(() => {
        this.inFlight.set(t, (this.inFlight.get(t) ?? 1) - 1);
        if (queue.length > 0) this.flush(t);
      });
    }
  }

  private async write(t: HotTable<unknown>, batch: Pending[]): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.pool.query({
        name: `hot_${t.table}_${batch.length}`,
        text: postgresInsert(t, batch.length, true),
        values: batch.flatMap((p) => p.values),
      });
      this.observer?.((performance.now() - started) / 1000, true);
      this.counts.commits++;
      this.counts.writes += batch.length;
      const inserted = new Set(result.rows.map((r) => r[t.key]));
      for (const p of batch) {
        // delete: of two rows with one key in a batch, only the first went in.
        if (inserted.delete(p.key)) p.resolve();
        else p.reject(new RowRefused());
      }
    } catch (err) {
      this.observer?.((performance.now() - started) / 1000, false);
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      await Promise.all(batch.map((p) => this.write(t, [p])));
    }
  }
}
