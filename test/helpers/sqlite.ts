import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  readonly dir: string;
  /** Removes the directory and everything in it. */
  remove(): void;
}

/** A fresh private directory (a data dir for a SQLite file); call remove() after the suite. */
export function tempDataDir(label = 'sqlite'): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `oauth-gateway-${label}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
