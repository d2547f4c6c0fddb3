import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** The e2e tests run the compiled CLI, as `npm start` does: compile first when dist/ is stale. */
export function buildIfNeeded(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-if-needed.js')], { cwd: repoRoot, stdio: 'pipe' });
}
