import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseWrkOutput, type WrkResult } from './wrk-output';

// The load generator: wrk (C, its own event loop), so the load does not come from a Node process
// competing with the servers under test for the same cores the way an in-Node client would.

const INSTALL_HINT = 'install it with `sudo apt-get install -y wrk` (Debian/Ubuntu package wrk), or build it from https://github.com/wg/wrk and put it on PATH';

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The path of wrk. When it is missing and we run as root on a system with apt-get, installs Debian's
 * package (refreshing the package lists only if the first attempt fails); otherwise throws saying how.
 */
export function ensureWrk(log: (line: string) => void): string {
  const found = onPath('wrk');
  if (found) return found;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) throw new Error(`wrk is not installed: ${INSTALL_HINT}`);
  log('wrk is not installed: apt-get install -y wrk');
  const apt = (args: string[]) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!apt(['install', '-y', '-qq', 'wrk'])) {
    apt(['update', '-qq']);
    apt(['install', '-y', '-qq', 'wrk']);
  }
  const installed = onPath('wrk');
  if (!installed) throw new Error(`wrk could not be installed with apt-get: ${INSTALL_HINT}`);
  return installed;
}

export interface WrkRun {
  url: string;
  /** The Lua script's text (bench/wrk-script.ts). */
  script: string;
  scriptFile: string;
  seconds: number;
  connections: number;
  threads: number;
}

/** One wrk run (keep-alive, wrk's default); rejects when wrk fails or prints no result. */
export function runWrk(wrk: string, run: WrkRun): Promise<WrkResult> {
  fs.writeFileSync(run.scriptFile, run.script);
  const args = ['-t', String(run.threads), '-c', String(run.connections), '-d', `${run.seconds}s`, '--timeout', '10s', '-s', run.scriptFile, run.url];
  return new Promise((resolve, reject) => {
    const child = spawn(wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        if (code !== 0) throw new Error(`wrk exited with ${code}: ${(stderr || stdout).trim().slice(-300)}`);
        resolve(parseWrkOutput(stdout));
      } catch (err) {
        reject(err);
      }
    });
  });
}
