import fs from 'node:fs';
import sqlite3 from 'sqlite3';

/** Why a backup was not made, in a sentence for the operator (the CLI prints it as one line). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
}

function get<T>(db: sqlite3.Database, sql: string): Promise<T> {
  return new Promise((resolve, reject) => db.get(sql, (err, row) => (err ? reject(err) : resolve(row as T))));
}

function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}

const close = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));

/**
 * Copies a live SQLite database to `target` with VACUUM INTO. The copy is made inside one read
 * transaction, so it is the database as of one commit even while gateway nodes write (WAL lets the
 * read run beside the writer, and what is not committed is not copied); it is also compacted. The
 * target is created first, empty and private (0600: it holds password hashes and sealed secrets);
 * an existing file is never overwritten. The copy is checked (quick_check) before it is reported.
 */
export async function backupSqlite(source: string, target: string, busyTimeoutMs: number): Promise<{ bytes: number }> {
  if (!fs.existsSync(source)) throw new BackupError(`no database at ${source} (nothing to back up yet)`);
  try {
    fs.closeSync(fs.openSync(target, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BackupError(code === 'EEXIST' ? `${target} exists: a backup never overwrites a file, choose a new name` : `cannot create ${target} (${code ?? 'error'})`);
  }
  let made = false;
  try {
    // Read-write without create: a WAL database needs its -shm file, which a read-only open may not make.
    const db = await open(source, sqlite3.OPEN_READWRITE);
    try {
      db.configure('busyTimeout', busyTimeoutMs);
      await run(db, 'VACUUM INTO ?', [target]);
    } finally {
      await close(db);
    }
    const copy = await open(target, sqlite3.OPEN_READONLY);
    try {
      const check = await get<{ quick_check: string }>(copy, 'PRAGMA quick_check');
      if (check.quick_check !== 'ok') throw new BackupError(`the copy in ${target} failed its integrity check: ${check.quick_check}`);
    } finally {
      await close(copy);
    }
    made = true;
    return { bytes: fs.statSync(target).size };
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`the backup failed: ${(err as Error).message.replace(/^SQLITE_\w+: /, '')}`);
  } finally {
    if (!made) fs.rmSync(target, { force: true });
  }
}
