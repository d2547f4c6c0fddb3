/**
 * Whether a database error means "the database is down or too slow" (an outage: 503, try again)
 * rather than a bug or bad data (500). Read from what the drivers say, since TypeORM passes their
 * errors through (sometimes wrapped in a QueryFailedError with the original as driverError):
 * - PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (the server is shutting
 *   down or starting), 57014 (query_canceled: statement_timeout), 53xxx (out of connections,
 *   memory or disk);
 * - the socket: refused, reset, timed out, unreachable;
 * - node-postgres' own words for a dead connection and its time limits (connect and query timeout);
 * - SQLite: SQLITE_BUSY (the write lock stayed taken past the busy timeout).
 */

const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const sqlStates = /^(08...|57P0[123]|57014|53...)$/;
const sqliteCodes = new Set(['SQLITE_BUSY']);
const driverMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /is not queryable/,
  /^Connection closed$/,
  /SQLITE_BUSY/,
];

function says(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (socketCodes.has(e.code) || sqlStates.test(e.code) || sqliteCodes.has(e.code))) return true;
  return typeof e.message === 'string' && driverMessages.some((m) => m.test(e.message as string));
}

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 3 || typeof err !== 'object' || err === null) return false;
  if (says(err)) return true;
  const e = err as { driverError?: unknown; cause?: unknown; errors?: unknown };
  if (isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)) return true;
  // A connect to several addresses (localhost: ::1 and 127.0.0.1) fails with an AggregateError.
  return Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
