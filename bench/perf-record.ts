import { spawn, spawnSync } from 'node:child_process';
import { parsePerfScript, type PerfSample } from './perf-layers';

// Linux perf for `BENCH_CPU_PERF=1 npm run bench:cpu`: records one process's samples (all its threads,
// with call chains) while a wrk run loads it, then reads them back with `perf script`.

/** perf's sampling rate: a sample per CPU millisecond or so, few enough not to weigh much on the server. */
export const PERF_HZ = 999;

/** Why perf cannot be used here, or null when it can. */
export function perfMissing(): string | null {
  const probe = spawnSync('perf', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'perf is not installed (Debian: apt-get install linux-perf)';
  return null;
}

export interface PerfRecording {
  /** Stops recording and returns the samples (each with its frames, innermost first). */
  stop(): Promise<PerfSample[]>;
}

export function recordPerf(pid: number, file: string): PerfRecording {
  const perf = spawn('perf', ['record', '-F', String(PERF_HZ), '-g', '-p', String(pid), '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  perf.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => perf.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    async stop() {
      // SIGINT is how perf record is told to write its file and end.
      perf.kill('SIGINT');
      const { code, signal } = await exited;
      // It writes its file, then ends by the SIGINT it was sent (or with 0).
      if (code !== 0 && signal !== 'SIGINT') throw new Error(`perf record ended with ${code ?? signal}: ${stderr.trim().split('\n').pop() ?? ''}`);
      const script = spawnSync('perf', ['script', '-i', file], { encoding: 'utf8', maxBuffer: 2 ** 30 });
      if (script.status !== 0) throw new Error(`perf script ended with ${script.status}: ${script.stderr.slice(-500)}`);
      return parsePerfScript(script.stdout);
    },
  };
}
