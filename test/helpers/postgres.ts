import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { destroyDataSource } from '../../src/storage';

/** The shared PostgreSQL every integration suite may use (isolated by schema). */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface PostgresSchema {
  readonly url: string;
  /** t_<random>: a plain lower-case identifier, owned by this suite only. */
  readonly schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** Runs fn on a connection of its own to the PostgreSQL at url (creating and dropping schemas, databases). */
export async function onPostgres<T>(url: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource({ type: 'postgres', url, entities: [], synchronize: false });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    // Its socket closed too: a worker must not exit with a connection still open.
    await destroyDataSource(ds);
  }
}

/** Creates a fresh schema for one suite; call drop() after it (afterAll). */
export async function withPostgresSchema(url = POSTGRES_URL): Promise<PostgresSchema> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await onPostgres(url, (ds) => ds.query(`CREATE SCHEMA "${schema}"`));
  return {
    url,
    schema,
    drop: () => onPostgres(url, (ds) => ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  };
}
