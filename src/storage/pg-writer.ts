import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { GroupCommit, type BatchSession } from './group-commit';
import { postgresInsert, rowValues, type HotTable } from './hot-tables';

/** What is used of the pg client a query runner holds: a named (prepared) statement. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

/** TypeORM's PostgreSQL query runner gives a connection it saw fail back to the pool as broken. */
interface PostgresQueryRunner extends QueryRunner {
  releasePostgresConnection(err?: unknown): Promise<void>;
}

/**
 * The batch's transaction on PostgreSQL: a connection taken from the pool for the batch (so a
 * connection that died under one batch is not the next one's), BEGIN, a savepoint per task, COMMIT.
 * A connection whose batch failed (a dead socket, a timed-out COMMIT) goes back to the pool as
 * broken and is closed, never reused in an unknown state.
 */
function postgresBatchSession(ds: DataSource): BatchSession<EntityManager> {
  // The manager a query runner makes is bound to it (and to its connection).
  const runnerOf = (m: EntityManager) => m.queryRunner as PostgresQueryRunner;
  const exec = (m: EntityManager, sql: string) => runnerOf(m).query(sql).then(() => undefined);
  return {
    async begin() {
      const runner = ds.createQueryRunner('master') as PostgresQueryRunner;
      try {
        await runner.connect();
        await runner.query('BEGIN');
      } catch (err) {
        await runner.releasePostgresConnection(err);
        throw err;
      }
      return runner.manager;
    },
    commit: (m) => exec(m, 'COMMIT'),
    rollback: (m) => exec(m, 'ROLLBACK'),
    savepoint: (m) => exec(m, 'SAVEPOINT request'),
    release: (m) => exec(m, 'RELEASE SAVEPOINT request'),
    rollbackToSavepoint: (m) => exec(m, 'ROLLBACK TO SAVEPOINT request'),
    end(m, error) {
      void runnerOf(m).releasePostgresConnection(error ?? undefined);
    },
  };
}

/**
 * Group commit on PostgreSQL for the units of work (transaction() callbacks: a code redeemed, a
 * refresh token rotated, an OAuth 1.0a session issued): the units that arrive together run one
 * after another in ONE transaction, each in its own savepoint, so the batch costs one COMMIT (one
 * WAL flush) and one unit's failure rolls back only its savepoint and reaches only its caller. Each
 * caller is answered after that COMMIT. Two units touching one row (a code redeemed twice) run one
 * after the other in the same transaction, so the second sees the first's change, as it would after
 * its commit; a unit of another node's batch waits for the row lock until this batch commits.
 * Batches are smaller than SQLite's: the units' statements are round trips on one connection, and
 * the last unit of a batch waits for all of them.
 */
export function postgresGroupCommit(ds: DataSource, maxBatch = 64): GroupCommit<EntityManager> {
  return new GroupCommit(postgresBatchSession(ds), maxBatch);
}

/**
 * A token row inserted inside a transaction on PostgreSQL: a named statement on the transaction's
 * own connection (parsed once per connection, then only bound and executed), not the entity layer.
 */
export async function postgresInsertIn<R>(m: EntityManager, t: HotTable<R>, row: R): Promise<void> {
  const runner = m.queryRunner as (QueryRunner & { connect(): Promise<PgClient> }) | undefined;
  if (!runner) throw new Error('a PostgreSQL insert inside a transaction needs its connection');
  const client = await runner.connect();
  await client.query({ name: `tx_${t.table}`, text: postgresInsert(t as HotTable<unknown>, 1, false), values: rowValues(t, row) });
}
