import {
  QueryFailedError,
  type EntityTarget,
  type FindOptionsSelect,
  type FindOptionsWhere,
  type ObjectLiteral,
  type UpdateResult,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Executor } from '../executor';
import type { HotTable } from '../hot-tables';
import { RowRefused } from '../pg-hot-inserts';
import { DuplicateError } from '../types';

/**
 * A unique or primary-key constraint refused the row: SQLite's SQLITE_CONSTRAINT, PostgreSQL's 23505,
 * whether TypeORM wrapped the driver's error or the driver threw it (prepared token inserts), or a
 * batched PostgreSQL insert skipped the row.
 */
function isUniqueViolation(err: unknown): boolean {
  if (err instanceof RowRefused) return true;
  const driverError = (err instanceof QueryFailedError ? err.driverError : err) as { code?: unknown; message?: unknown } | undefined;
  if (driverError?.code === '23505') return true;
  return driverError?.code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY KEY/.test(String(driverError.message));
}

/** Inserts one token row through the executor's prepared statement; a unique violation becomes DuplicateError. */
export async function insertHotRow<R>(exec: Executor, t: HotTable<R>, row: R): Promise<void> {
  try {
    await exec.insertHot(t, row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateError(t.what);
    throw err;
  }
}

/**
 * Inserts one row; a unique violation becomes DuplicateError(what). TypeORM writes the values the
 * database generated (column defaults) back onto the object it inserted, and the caller's row is
 * read-only (it may be frozen, or shared), so it inserts a copy: the one copy an insert makes.
 */
export async function insertRow<E extends ObjectLiteral>(
  exec: Executor,
  target: EntityTarget<E>,
  row: QueryDeepPartialEntity<E>,
  what: string,
): Promise<void> {
  try {
    await exec.write((m) => m.insert(target, { ...row }));
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateError(what);
    throw err;
  }
}

/**
 * Rows an UPDATE or DELETE changed. Both drivers report it (SQLite's statement `changes`, pg's
 * rowCount); a missing count would make every atomic method lie, so it is an error, never a guess.
 */
export function affectedRows(result: UpdateResult | { affected?: number | null }): number {
  if (typeof result.affected !== 'number') throw new Error('the database driver did not report affected rows');
  return result.affected;
}

/** A single conditional UPDATE; true when it changed a row (the caller won). */
export async function updateWhere<E extends ObjectLiteral>(
  exec: Executor,
  target: EntityTarget<E>,
  where: FindOptionsWhere<E>,
  set: QueryDeepPartialEntity<E>,
): Promise<boolean> {
  const result = await exec.write((m) => m.update(target, where, set));
  return affectedRows(result) > 0;
}

/**
 * UPDATE ... and say which rows (by primary key `digest`) it changed, so callers can evict them
 * from caches. PostgreSQL says so itself (RETURNING); TypeORM's SQLite driver can't return rows
 * from an UPDATE, so there the SELECT and the UPDATE share one write transaction.
 */
export async function updateReturningDigests<E extends ObjectLiteral & { digest: string }>(
  exec: Executor,
  target: EntityTarget<E>,
  where: FindOptionsWhere<E>,
  set: QueryDeepPartialEntity<E>,
): Promise<string[]> {
  if (exec.kind === 'postgres') {
    const result = await exec.write((m) =>
      m.createQueryBuilder().update(target).set(set).where(where).returning(['digest']).execute(),
    );
    return (result.raw as Array<{ digest: string }>).map((r) => r.digest);
  }
  return exec.unit(async (m) => {
    const rows = await m.getRepository(target).find({ select: { digest: true } as FindOptionsSelect<E>, where });
    if (rows.length > 0) await m.update(target, where, set);
    return rows.map((r) => r.digest);
  });
}
