import { openStore } from '../../src/storage';
import type { Store } from '../../src/storage/types';
import { tempDataDir, type TempDir } from '../helpers/sqlite';
import { accessTokenRow } from '../helpers/access-token-rows';

// Two stores of one process on one SQLite file (two gateway nodes in a test; the CLI beside a node
// in the same process). A writer waiting for the other connection's write lock must leave the event
// loop free: SQLite's busy handler sleeps holding the connection's mutex, and sqlite3 finalizes
// statements on the JavaScript thread under that mutex, so a BEGIN IMMEDIATE left to the busy
// handler stopped the event loop at the connection's next finished read. The lock holder then
// could not commit (that needs the event loop too) and the waiter failed with SQLITE_BUSY when its
// wait ran out: a 503 where both requests should have succeeded.

let temp: TempDir;
let a: Store;
let b: Store;

beforeAll(async () => {
  temp = tempDataDir('lock-wait');
  a = await openStore({ databaseUrl: null, dataDir: temp.dir });
  // A long wait for the lock: the write below must succeed because the lock is let go, however
  // slow the machine, not because it was quick.
  b = await openStore({ databaseUrl: null, dataDir: temp.dir, timeouts: { connectTimeoutSeconds: 3, statementTimeoutSeconds: 60, queryTimeoutSeconds: 61 } });
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  temp?.remove();
});

test("a write waiting for another connection's lock lets that connection's reads and commit go on, then goes in", async () => {
  const kept = accessTokenRow('kept');
  await a.accessTokens.insert(kept);

  // Store a holds the write lock (its batch's BEGIN IMMEDIATE is done) until the gate opens.
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const holding = new Promise<void>((resolve) => (entered = resolve));
  const held = a.transaction(async (tx) => {
    entered();
    await gate;
    return tx.accessTokens.find(kept.digest);
  });
  await holding;

  // Store b's write now waits for the lock...
  const row = accessTokenRow('waiting');
  let settled = false;
  const write = b.accessTokens.insert(row).finally(() => (settled = true));
  write.catch(() => undefined);
  try {
    // ... while b reads (each read is a statement finalized on this thread) and a keeps reading.
    for (let i = 0; i < 20; i++) {
      expect((await b.accessTokens.find(kept.digest))?.digest).toBe(kept.digest);
      expect((await a.accessTokens.find(kept.digest))?.digest).toBe(kept.digest);
    }
    expect(settled).toBe(false);
  } finally {
    // Whatever failed above, the lock is let go (a's store could not close otherwise).
    open();
  }
  expect((await held)?.digest).toBe(kept.digest);
  await expect(write).resolves.toBeUndefined();
  expect((await a.accessTokens.find(row.digest))?.digest).toBe(row.digest);
});
