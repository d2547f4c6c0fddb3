/**
 * An in-process FIFO for SQLite writes. TypeORM's SQLite driver has one connection: a write issued
 * while another caller's transaction is open would silently join that transaction (and a second
 * BEGIN fails with "cannot start a transaction within a transaction"), so every write and every
 * transaction takes its turn here. Other processes are kept out by the database lock.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  drain(): Promise<void> {
    return this.run(async () => undefined);
  }
}
