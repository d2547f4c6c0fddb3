import { DuplicateError, type AccessTokenRow, type Store } from '../../src/storage/types';
import { openTestStore, type TestStore } from '../helpers/test-store';
import { accessTokenRow, ROW_TIME } from '../helpers/access-token-rows';

// Units of work (store.transaction callbacks) under the group commit, on real SQLite and
// PostgreSQL: a unit the database itself refuses mid-way (on PostgreSQL an error aborts the whole
// transaction unless its savepoint is rolled back) fails alone, with its own error, and its
// earlier statements undone; the units beside it commit, together.

const T = ROW_TIME;
const accessRow = (over: Partial<AccessTokenRow> = {}): AccessTokenRow => accessTokenRow('unit', { grantType: 'authorization_code', ...over });

describe.each(['sqlite', 'postgres'] as const)('units of work under group commit on %s', (database) => {
  let opened: TestStore;
  let store: Store;

  beforeAll(async () => {
    opened = await openTestStore(database, 'group-commit-units');
    store = opened.store;
  });

  afterAll(async () => {
    await opened?.close();
  });

  test('a unit refused by a unique constraint mid-way fails alone, its first row undone; the others commit in fewer commits than units', async () => {
    const taken = accessRow();
    await store.accessTokens.insert(taken);
    const good = Array.from({ length: 30 }, () => accessRow());
    const undone = accessRow();
    const before = store.commitStats();
    const unit = (row: AccessTokenRow) =>
      store.transaction(async (tx) => {
        await tx.accessTokens.insert(row);
        await tx.accessTokens.revoke(row.digest, T + 1);
      });
    const refused = store.transaction(async (tx) => {
      await tx.accessTokens.insert(undone);
      await tx.accessTokens.insert({ ...taken, clientId: 'intruder' });
    });
    const outcomes = await Promise.allSettled([...good.slice(0, 15).map(unit), refused, ...good.slice(15).map(unit)]);
    expect(outcomes.map((o) => o.status)).toEqual([...Array(15).fill('fulfilled'), 'rejected', ...Array(15).fill('fulfilled')]);
    expect((outcomes[15] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateError);
    expect(store.commitStats().commits - before.commits).toBeLessThan(good.length / 2);
    expect(await store.accessTokens.find(undone.digest)).toBeNull();
    expect((await store.accessTokens.find(taken.digest))?.clientId).toBe('app');
    for (const row of good) expect((await store.accessTokens.find(row.digest))?.revokedAt).toBe(T + 1);
  });

  test('two units consuming one row in the same batch: the first wins, the second sees it consumed', async () => {
    const rows = Array.from({ length: 10 }, () => accessRow());
    await Promise.all(rows.map((row) => store.accessTokens.insert(row)));
    const revokeOnce = (row: AccessTokenRow) => store.transaction((tx) => tx.accessTokens.revoke(row.digest, T + 2));
    const won = await Promise.all(rows.flatMap((row) => [revokeOnce(row), revokeOnce(row)]));
    for (let i = 0; i < rows.length; i++) expect([won[2 * i], won[2 * i + 1]].sort()).toEqual([false, true]);
  });
});
