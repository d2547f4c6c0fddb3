import type { DataSource } from 'typeorm';

/**
 * Applies pending migrations and returns their names (none on a second run). Safe when several
 * processes start at once: PostgreSQL nodes queue on an advisory lock, SQLite processes on the
 * database write lock, so exactly one of them migrates and the others find nothing to do.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const applied = ds.options.type === 'postgres' ? await migratePostgres(ds) : await migrateSqlite(ds);
  return applied.map((m) => m.name);
}

async function migrateSqlite(ds: DataSource) {
  // BEGIN IMMEDIATE takes the write lock up front (waiting out busy_timeout for another process),
  // so creating the migrations table and every migration commit or roll back together.
  await ds.query('BEGIN IMMEDIATE');
  try {
    const applied = await ds.runMigrations({ transaction: 'none' });
    await ds.query('COMMIT');
    return applied;
  } catch (err) {
    await ds.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function migratePostgres(ds: DataSource) {
  const schema = (ds.options as { schema?: string }).schema;
  const lockName = `oauth-gateway:migrations:${schema ?? ''}`;
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    // Session-level lock on this connection; the migrations themselves run on another one.
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);
    try {
      // The name was checked in createDataSource; quoting keeps its case.
      if (schema !== undefined) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      return await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]);
    }
  } finally {
    await runner.release();
  }
}
