import type { ChildProcess } from 'node:child_process';

/**
 * Resolves once a server the tests spawned prints its ready line (on stdout or stderr). It is killed,
 * and the promise rejects with what it printed, when it exits, fails to spawn or takes longer than
 * timeoutMs. Its output keeps being drained afterwards, so a full pipe never blocks the server.
 */
export function waitUntilReady(proc: ChildProcess, what: string, readyLine: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start: ${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyLine)) finish();
    };
    const onExit = (code: number | null) => fail(new Error(`${what} exited (${code}): ${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      proc.stderr!.off('data', onData);
      proc.off('exit', onExit);
      proc.off('error', fail);
      proc.stdout!.resume();
      proc.stderr!.resume();
    };
    const finish = () => {
      cleanup();
      resolve();
    };
    const fail = (err: Error) => {
      cleanup();
      proc.kill('SIGKILL');
      reject(err);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', onExit);
    proc.once('error', fail);
  });
}
