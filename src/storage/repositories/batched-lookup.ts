/**
 * Lookups by key that are asked for in the same event-loop turn go to the database as one query
 * (`WHERE key IN (...)`): on the token endpoint every request reads its client, and under load a
 * dozen requests of one turn cost one round trip instead of a dozen. Only lookups of one turn are
 * joined, and the query is sent after that turn, so a read asked for after a write has finished still
 * sees it. Each caller gets its own shallow copy of the row.
 */
export function batchedLookup<R extends object>(load: (keys: string[]) => Promise<R[]>, keyOf: (row: R) => string): (key: string) => Promise<R | null> {
  let pending: Map<string, Array<{ resolve: (row: R | null) => void; reject: (err: unknown) => void }>> | null = null;

  const flush = async (batch: NonNullable<typeof pending>) => {
    try {
      const rows = await load([...batch.keys()]);
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      for (const [key, waiters] of batch) {
        const row = byKey.get(key);
        for (const w of waiters) w.resolve(row === undefined ? null : { ...row });
      }
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  };

  return (key) =>
    new Promise<R | null>((resolve, reject) => {
      if (pending === null) {
        const batch = (pending = new Map());
        setImmediate(() => {
          pending = null;
          void flush(batch);
        });
      }
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
    });
}
