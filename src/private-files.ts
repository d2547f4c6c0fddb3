import fs from 'node:fs';

// The data dir holds the SQLite database (password hashes, sealed secrets, token digests) and the
// generated secret key, so it and the files in it are private to the gateway's user whichever
// command creates them first. Modes are given at creation (the umask can only remove bits); what
// an operator prepared beforehand is left as it is.

/** Creates the directory (and missing parents) with mode 0700. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Creates an empty file with mode 0600 unless it exists. SQLite then keeps what it opens private
 * too: it gives the database's -wal and -shm files the database file's own permissions.
 */
export function ensurePrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
