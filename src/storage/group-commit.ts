import type { CommitStats } from './types';

/**
 * The statements that open, mark and close one batch's transaction on the one connection the
 * batch runs on.
 */
export interface BatchSession {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  savepoint(): Promise<void>;
  release(): Promise<void>;
  rollbackToSavepoint(): Promise<void>;
}


interface Task {
  run: () => Promise<unknown>;
  /** Several statements (a transaction callback): wrapped in a savepoint so its failure undoes only it. */
  isolated: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit over one connection (SQLite's). Every write and every transaction is a task; the
 * tasks that arrive in the same event-loop turn, or while the previous batch commits, run one after
 * another inside ONE transaction, so a batch costs one COMMIT (one fsync) however many requests it
 * holds. A task with several statements runs in a savepoint, so its failure (a unique violation, a
 * refused check) rolls back its own statements and reaches only its caller; a single statement
 * needs none (SQLite undoes a failed statement by itself and keeps the transaction). Every caller
 * is answered after the COMMIT that holds its rows, or with the COMMIT's error: a write is never
 * acknowledged before it is durable.
 */
export class GroupCommit {
  private pending: Task[] = [];
  private running = false;
  private scheduled = false;
  private readonly counts: CommitStats = { commits: 0, writes: 0 };

  constructor(
    private readonly session: BatchSession,
    private readonly maxBatch = 256,
  ) {}

  run<T>(fn: () => Promise<T>, isolated: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: fn, isolated, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  stats(): CommitStats {
    return { ...this.counts };
  }

  /** Resolves once everything submitted so far has been committed (or refused). */
  drain(): Promise<void> {
    return this.run(async () => undefined, false);
  }

  private kick(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // One turn later: the writes the same turn produces (a burst of requests) join this batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) await this.commitBatch(this.pending.splice(0, this.maxBatch));
    } finally {
      this.running = false;
    }
  }

  private async commitBatch(batch: Task[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      await this.session.begin();
    } catch (error) {
      for (const task of batch) task.reject(error);
      return;
    }
    try {
      outcomes = [];
      for (let i = 0; i < batch.length; ) {
        if (batch[i].isolated) {
          outcomes.push(await this.runTask(batch[i++]));
          continue;
        }
        // A run of single statements is handed to the connection at once: it executes them in
        // order, and none depends on another's result, so their thread-pool trips overlap.
        let end = i;
        while (end < batch.length && !batch[end].isolated) end++;
        outcomes.push(...(await Promise.all(batch.slice(i, end).map((task) => this.runTask(task)))));
        i = end;
      }
      await this.session.commit();
    } catch (error) {
      // The connection failed under the batch (or the COMMIT did): nothing of it is durable, so
      // nobody is told otherwise.
      await this.session.rollback().catch(() => undefined);
      for (const task of batch) task.reject(error);
      return;
    }
    this.counts.commits++;
    this.counts.writes += batch.length;
    batch.forEach((task, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) task.resolve(outcome.value);
      else task.reject(outcome.error);
    });
  }

  /** One task; throws only when the savepoint statements themselves fail (then the batch fails). */
  private async runTask(task: Task): Promise<Outcome> {
    if (!task.isolated) {
      try {
        return { ok: true, value: await task.run() };
      } catch (error) {
        return { ok: false, error };
      }
    }
    await this.session.savepoint();
    try {
      const value = await task.run();
      await this.session.release();
      return { ok: true, value };
    } catch (error) {
      await this.session.rollbackToSavepoint();
      await this.session.release();
      return { ok: false, error };
    }
  }
}
