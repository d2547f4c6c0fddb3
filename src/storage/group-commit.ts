import type { CommitObserver, CommitStats } from './types';

/**
 * The statements that open, mark and close one batch's transaction on the one connection the
 * batch runs on. `begin` returns what the batch's tasks run on (SQLite: nothing, the connection is
 * the only one; PostgreSQL: the entity manager of the connection taken from the pool for the batch).
 */
export interface BatchSession<C = void> {
  begin(): Promise<C>;
  commit(c: C): Promise<void>;
  rollback(c: C): Promise<void>;
  savepoint(c: C): Promise<void>;
  release(c: C): Promise<void>;
  rollbackToSavepoint(c: C): Promise<void>;
  /** The batch is over, committed (error null) or failed: gives back what begin() took. */
  end?(c: C, error: unknown): void;
  /**
   * Present when one statement outside a transaction commits as durably as a transaction (SQLite:
   * autocommit, synced like any COMMIT). A batch that becomes one statement then runs without
   * BEGIN and COMMIT around it; a task that failed with an error `retryable` names (the write lock
   * was busy: nothing was written) goes through a transaction instead, which waits for the lock.
   */
  autocommit?: { retryable(err: unknown): boolean };
}

/**
 * Tasks that name the same statement, up to `limit` of them, are executed as one statement by what
 * they call (SqliteHotInserts.insertTogether: one multi-row INSERT per table and turn).
 */
export interface SharedStatement {
  key: string;
  limit: number;
}


interface Task<C> {
  run: (c: C) => Promise<unknown>;
  /** Several statements (a transaction callback): wrapped in a savepoint so its failure undoes only it. */
  isolated: boolean;
  statement: SharedStatement | undefined;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit over one connection at a time (SQLite's only one; on PostgreSQL one taken from the
 * pool per batch, where every task is isolated, as a failed statement aborts the whole
 * transaction). Every write and every transaction is a task; the tasks that arrive in the same
 * event-loop turn, or while the previous batch commits, run one after another inside ONE
 * transaction, so a batch costs one COMMIT (one fsync) however many requests it holds. A task with several statements runs in a savepoint, so its failure (a unique violation, a
 * refused check) rolls back its own statements and reaches only its caller; a single statement
 * needs none (SQLite undoes a failed statement by itself and keeps the transaction). Every caller
 * is answered after the COMMIT that holds its rows, or with the COMMIT's error: a write is never
 * acknowledged before it is durable.
 */
export class GroupCommit<C = void> {
  private pending: Array<Task<C>> = [];
  private running = false;
  private scheduled = false;
  private readonly counts = { commits: 0, writes: 0 };
  private unanswered = 0;
  /** Told each batch's duration, BEGIN to COMMIT (or to the failure), and whether it committed. */
  observer: CommitObserver | null = null;

  constructor(
    private readonly session: BatchSession<C>,
    private readonly maxBatch = 256,
  ) {}

  run<T>(fn: (c: C) => Promise<T>, isolated: boolean, statement?: SharedStatement): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: fn, isolated, statement, resolve: resolve as (v: unknown) => void, reject });
      this.unanswered++;
      this.kick();
    }).finally(() => {
      this.unanswered--;
    });
  }

  stats(): CommitStats {
    return { ...this.counts, waiting: this.unanswered };
  }

  /**
   * Resolves once everything submitted so far has been committed (or refused; the callers heard
   * why). Idle, it opens no transaction: closing a store whose database is down must not wait on it.
   */
  drain(): Promise<void> {
    if (!this.running && !this.scheduled && this.pending.length === 0) return Promise.resolve();
    return this.run(async () => undefined, false).catch(() => undefined);
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

  /**
   * Whether the batch is one statement: every task names the same shared statement and they fit
   * in it. With an autocommitting session it then needs no transaction: BEGIN and COMMIT are two
   * of the three trips a batch of token rows makes to SQLite's thread (issue 13).
   */
  private isOneStatement(batch: Array<Task<C>>): boolean {
    const first = batch[0].statement;
    if (!first || !this.session.autocommit || batch.length > first.limit) return false;
    return batch.every((task) => task.statement?.key === first.key);
  }

  private async commitBatch(batch: Array<Task<C>>): Promise<void> {
    if (this.isOneStatement(batch)) return this.commitAlone(batch);
    return this.commitTogether(batch);
  }

  /**
   * The batch's one statement, committed by itself. Every caller is still answered after the commit
   * that holds its row (the statement's own); a unique violation makes the rows go in one by one,
   * each committed by itself, so again only the refused caller fails. Tasks refused for a busy lock
   * wrote nothing and go through a transaction, whose BEGIN IMMEDIATE waits for the lock.
   */
  private async commitAlone(batch: Array<Task<C>>): Promise<void> {
    const started = performance.now();
    const outcomes = await Promise.all(batch.map((task) => this.runTask(undefined as C, task)));
    const retry: Array<Task<C>> = [];
    let written = 0;
    batch.forEach((task, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        written++;
        task.resolve(outcome.value);
      } else if (this.session.autocommit!.retryable(outcome.error)) retry.push(task);
      else task.reject(outcome.error);
    });
    if (written > 0) {
      this.counts.commits++;
      this.counts.writes += written;
    }
    this.observe(started, retry.length === 0);
    if (retry.length > 0) await this.commitTogether(retry);
  }

  /** The batch in one transaction: BEGIN, every task (several statements in a savepoint), COMMIT. */
  private async commitTogether(batch: Array<Task<C>>): Promise<void> {
    let outcomes: Outcome[];
    let c: C;
    const started = performance.now();
    try {
      c = await this.session.begin();
    } catch (error) {
      this.observe(started, false);
      for (const task of batch) task.reject(error);
      return;
    }
    try {
      outcomes = [];
      for (let i = 0; i < batch.length; ) {
        if (batch[i].isolated) {
          outcomes.push(await this.runTask(c, batch[i++]));
          continue;
        }
        // A run of single statements is handed to the connection at once: it executes them in
        // order, and none depends on another's result, so their thread-pool trips overlap.
        let end = i;
        while (end < batch.length && !batch[end].isolated) end++;
        outcomes.push(...(await Promise.all(batch.slice(i, end).map((task) => this.runTask(c, task)))));
        i = end;
      }
      await this.session.commit(c);
    } catch (error) {
      // The connection failed under the batch (or the COMMIT did): nothing of it is durable, so
      // nobody is told otherwise.
      await this.session.rollback(c).catch(() => undefined);
      this.observe(started, false);
      this.session.end?.(c, error);
      for (const task of batch) task.reject(error);
      return;
    }
    this.observe(started, true);
    this.session.end?.(c, null);
    this.counts.commits++;
    this.counts.writes += batch.length;
    batch.forEach((task, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) task.resolve(outcome.value);
      else task.reject(outcome.error);
    });
  }

  private observe(started: number, ok: boolean): void {
    this.observer?.((performance.now() - started) / 1000, ok);
  }

  /** One task; throws only when the savepoint statements themselves fail (then the batch fails). */
  private async runTask(c: C, task: Task<C>): Promise<Outcome> {
    if (!task.isolated) {
      try {
        return { ok: true, value: await task.run(c) };
      } catch (error) {
        return { ok: false, error };
      }
    }
    await this.session.savepoint(c);
    try {
      const value = await task.run(c);
      await this.session.release(c);
      return { ok: true, value };
    } catch (error) {
      await this.session.rollbackToSavepoint(c);
      await this.session.release(c);
      return { ok: false, error };
    }
  }
}
