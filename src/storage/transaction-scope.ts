import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Knows whether the current async context is inside a store.transaction() callback, so a write
 * through the store itself (which would wait for the transaction that waits for it) fails at once.
 *
 * On Node 20 an enabled AsyncLocalStorage installs promise hooks that run for every promise in the
 * process: after the first transaction they cost the proxied hot path about a sixth of its
 * throughput (`npm run bench`, OAuth 1.0a route). So the storage is enabled only while at least one
 * transaction is open; with none open there is nothing to deadlock on, and no hook runs.
 */
export class TransactionScope {
  private readonly storage = new AsyncLocalStorage<true>();
  private open = 0;

  /** True inside a transaction callback (or anything it started while the transaction is open). */
  inside(): boolean {
    return this.open > 0 && this.storage.getStore() === true;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.open++;
    try {
      return await this.storage.run(true, fn);
    } finally {
      if (--this.open === 0) this.storage.disable();
    }
  }
}
