import path from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';
import { socketClosed, type ClosingSocket } from '../socket-close';
import { ensurePrivateFile, makePrivateDir } from '../private-files';

/** The `database` config keys that bound how long the database may keep a request waiting. */
export interface DatabaseTimeouts {
  /** PostgreSQL: opening a connection, and waiting for a free one in the pool. */
  connectTimeoutSeconds: number;
  /** PostgreSQL: statement_timeout (the server cancels the statement). SQLite: how long a statement waits for the write lock. */
  statementTimeoutSeconds: number;
  /** PostgreSQL: how long the client waits for any answer (a frozen server or a dead link answers nothing). */
  queryTimeoutSeconds: number;
}

/** The schema's defaults, for callers (tests, tools) that open a store without a config. */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectTimeoutSeconds: 3, statementTimeoutSeconds: 5, queryTimeoutSeconds: 6 };

export interface DatabaseOptions {
  /** postgres:// URL, or null for the embedded SQLite file in the data dir. */
  databaseUrl: string | null;
  dataDir: string;
  /**
   * Time limits (default: DEFAULT_DATABASE_TIMEOUTS). null: PostgreSQL statements and answers are
   * not limited, only connecting is; migrations run so, as one may take long or wait for another
   * node's.
   */
  timeouts?: DatabaseTimeouts | null;
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
  const timeouts = options.timeouts === undefined ? DEFAULT_DATABASE_TIMEOUTS : options.timeouts;
  if (options.databaseUrl === null) {
    makePrivateDir(options.dataDir);
    ensurePrivateFile(sqliteFile(options.dataDir));
    return new DataSource({
      ...common,
      type: 'sqlite',
      driver: quietSqlite3,
      database: sqliteFile(options.dataDir),
      // WAL lets readers run beside the writer; busy_timeout makes a second process (the CLI while
      // the server runs) wait for the write lock instead of failing, for as long as a statement may
      // take (then SQLITE_BUSY, which answers 503). The driver turns foreign_keys on.
      enableWAL: true,
      busyTimeout: (timeouts ?? DEFAULT_DATABASE_TIMEOUTS).statementTimeoutSeconds * 1000,
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
    extra: {
      // Raw SQL (in migrations or tests) then resolves unqualified names in the same schema TypeORM uses.
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
      ...postgresLimits(timeouts),
    },
  });
}

/**
 * node-postgres pool options for the limits. Three, because a database can fail three ways: it
 * refuses or never accepts a connection (connectionTimeoutMillis, which also bounds the wait for a
 * free pooled connection), it runs a statement too long (statement_timeout: the server cancels it
 * and the connection stays usable), or it answers nothing at all, frozen or cut off
 * (query_timeout: the client gives up; set a little above statement_timeout so the server's
 * cancellation comes first when the server still runs).
 */
function postgresLimits(timeouts: DatabaseTimeouts | null): Record<string, number | boolean> {
  const connect = (timeouts ?? DEFAULT_DATABASE_TIMEOUTS).connectTimeoutSeconds * 1000;
  // TCP keep-alive probes after ten seconds of silence rather than the system's two hours, so the
  // kernel finds a connection to a vanished server dead in minutes (requests are bounded anyway).
  const limits: Record<string, number | boolean> = { connectionTimeoutMillis: connect, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
  if (timeouts === null) return limits;
  return { ...limits, statement_timeout: timeouts.statementTimeoutSeconds * 1000, query_timeout: timeouts.queryTimeoutSeconds * 1000 };
}

/** How long closing waits for the PostgreSQL server to close the pool's sockets before destroying them. */
const SOCKET_CLOSE_WAIT_MS = 2000;

interface PoolClient {
  connection?: { stream?: ClosingSocket };
}

/**
 * DataSource.destroy(), returning only once the connections are closed. On PostgreSQL the pool's
 * end() answers as soon as each client has sent its Terminate, while the sockets close a moment
 * later: a caller that goes on (a test worker exiting, a process draining) would find them still
 * open. So the sockets of every client the pool holds are waited for, and destroyed if the server
 * has not closed them in time.
 */
export async function destroyDataSource(ds: DataSource): Promise<void> {
  if (!ds.isInitialized) return;
  const pool = ds.options.type === 'postgres' ? (ds.driver as unknown as { master?: { _clients?: PoolClient[] } }).master : undefined;
  // Clients checked out now are ended by the pool once they are given back: they are waited for too.
  const streams = (pool?._clients ?? []).map((client) => client.connection?.stream).filter((s) => s !== undefined);
  await ds.destroy();
  await Promise.all(streams.map((stream) => socketClosed(stream, SOCKET_CLOSE_WAIT_MS)));
}
