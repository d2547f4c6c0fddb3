import type { Store } from '../../src/storage/types';
import { openTestStore, type TestStore } from '../helpers/test-store';
import { accessTokenRow } from '../helpers/access-token-rows';

// The store's commit observer on its own (no runtime, no prom-client), on real SQLite and
// PostgreSQL: every commit the store counts is told once, with a duration and "committed"; a
// store without an observer, or whose observer was taken away, tells nobody.

describe.each(['sqlite', 'postgres'] as const)('commit observer on %s', (database) => {
  let opened: TestStore;
  let store: Store;

  beforeAll(async () => {
    opened = await openTestStore(database, 'commit-observer');
    store = opened.store;
  });

  afterAll(async () => {
    await opened?.close();
  });

  test('token rows and a transaction: one observation per commit, each committed, with a duration', async () => {
    const seen: Array<[number, boolean]> = [];
    store.observeCommits((seconds, ok) => seen.push([seconds, ok]));
    try {
      const before = store.commitStats().commits;
      await Promise.all(Array.from({ length: 20 }, () => store.accessTokens.insert(accessTokenRow('observed'))));
      await store.transaction((tx) => tx.accessTokens.insert(accessTokenRow('observed')));
      const commits = store.commitStats().commits - before;
      expect(commits).toBeGreaterThan(0);
      expect(seen).toHaveLength(commits);
      for (const [seconds, ok] of seen) {
        expect(ok).toBe(true);
        expect(seconds).toBeGreaterThanOrEqual(0);
        expect(seconds).toBeLessThan(60);
      }
    } finally {
      store.observeCommits(null);
    }
    const after = seen.length;
    await store.accessTokens.insert(accessTokenRow('observed'));
    expect(seen).toHaveLength(after);
  });
});
