import { openStore } from '../../src/storage';
import type { Store } from '../../src/storage/types';
import { POSTGRES_URL, withPostgresSchema } from './postgres';
import { tempDataDir } from './sqlite';

export type TestDatabase = 'sqlite' | 'postgres';

export interface TestStore {
  readonly store: Store;
  /** Closes the store, then drops its schema (PostgreSQL) and removes its data dir. */
  close(): Promise<void>;
}

/** A store of the suite's own: a fresh data dir, and on PostgreSQL a fresh schema of the shared test database. */
export async function openTestStore(database: TestDatabase, name: string): Promise<TestStore> {
  const temp = tempDataDir(name);
  const schema = database === 'postgres' ? await withPostgresSchema() : null;
  const store = await openStore({ databaseUrl: schema ? POSTGRES_URL : null, dataDir: temp.dir, schema: schema?.schema });
  return {
    store,
    async close() {
      await store.close();
      await schema?.drop();
      temp.remove();
    },
  };
}
