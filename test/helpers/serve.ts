import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './build';

/** A compiled `oauth-gateway serve` running as a child process. */
export interface ServedGateway {
  child: ChildProcess;
  url: string;
  /** Everything it printed on stdout so far. */
  stdout: () => string;
  /** Everything it printed on stderr so far (the demo banner). */
  stderr: () => string;
  /** The exit code, or the signal that ended it (so a crash at shutdown names itself in a failed expectation). */
  exited: Promise<number | NodeJS.Signals | null>;
}

export const cliBinary = path.join(repoRoot, 'bin', 'oauth-gateway.js');

/** Starts the compiled CLI (as `npm start` does) in `cwd` with only PATH and `env` in its environment. */
export function spawnCli(cwd: string, env: Record<string, string>, args: string[]): ChildProcess {
  return spawn(process.execPath, [cliBinary, ...args], { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `oauth-gateway serve --json --port 0` in `cwd` and waits for its summary line (rejects if it exits first). */
export async function serveGateway(cwd: string, env: Record<string, string>, ...args: string[]): Promise<ServedGateway> {
  const child = spawnCli(cwd, env, ['serve', '--json', '--port', '0', ...args]);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d.toString()));
  child.stderr!.on('data', (d) => (err += d.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) {
        clearInterval(timer);
        resolve(JSON.parse(line).url);
      }
    }, 50);
    exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}
