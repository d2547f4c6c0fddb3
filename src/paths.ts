import fs from 'node:fs';
import path from 'node:path';

/** The package root, whether running from src/ (tests) or dist/src/ (compiled). */
function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + start);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(__dirname);
