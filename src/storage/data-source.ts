import path from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';
import { ensurePrivateFile, makePrivateDir } from '../private-files';

export interface DatabaseOptions {
  /** postgres:// URL, or null for the embedded SQLite file in the data dir. */
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL schema to live in (tests use one per suite); created by runMigrations if missing. */
  schema?: string;
  logging?: boolean;
}

// A schema name ends up inside a connection option and DDL, so only plain lower-case identifiers
// are accepted (an unquoted search_path folds case; TypeORM quotes it).
const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

// TypeORM calls driver.verbose(), which makes sqlite3 wrap every call to capture a stack trace and
// util.inspect its arguments: a large share of each query's cost, and it copies SQL parameters into
// error stacks. The driver TypeORM gets answers verbose() with the plain module.
const quietSqlite3 = { verbose: () => sqlite3 };

/** The SQLite file inside the data dir. */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'gateway.sqlite');
}

/**
 * A DataSource over the gateway's entities, not yet initialized. Schema changes only ever come
 * from migrations run explicitly (runMigrations), never from synchronize.
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  const common = {
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
  } as const;
  if (options.databaseUrl === null) {
    makePrivateDir(options.dataDir);
    ensurePrivateFile(sqliteFile(options.dataDir));
    return new DataSource({
      ...common,
      type: 'sqlite',
      driver: quietSqlite3,
      database: sqliteFile(options.dataDir),
      // WAL lets readers run beside the writer; busy_timeout makes a second process (the CLI while
      // the server runs) wait for the write lock instead of failing. The driver turns foreign_keys on.
      enableWAL: true,
      busyTimeout: 5000,
    });
  }
  if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw new Error('the database URL must start with postgres:// or postgresql://');
  }
  const schema = options.schema;
  if (schema !== undefined && !schemaName.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return new DataSource({
    ...common,
    type: 'postgres',
    url: options.databaseUrl,
    schema,
    // Raw SQL (in migrations or tests) then resolves unqualified names in the same schema TypeORM uses.
    extra: schema === undefined ? undefined : { options: `-c search_path=${schema}` },
  });
}
