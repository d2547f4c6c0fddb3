import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a compiled bench entry as a child process and waits for it to report its URL. */
export function startChild(name: string, entry: string, args: string[] = [], execArgv: string[] = []): Promise<Child> {
  const child = fork(path.join(__dirname, entry), args, {
    execArgv,
    // Logs go nowhere: the gateway writes one line per request and the benchmark is not about disks.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; url?: string }) => {
      if (!message.ready || !message.url) return;
      clearTimeout(timer);
      resolve({
        name,
        url: message.url,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    });
  });
}

/** A field of /proc/<pid>/status in MB (VmRSS now, VmHWM the peak so far); null off Linux. */
export function memoryMB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Polls a process's resident set while `run` goes on; resolves to run's value and the peak seen. */
export async function withPeakRss<T>(pid: number, run: () => Promise<T>): Promise<{ value: T; peakMB: number | null }> {
  let peak: number | null = null;
  const sample = () => {
    const now = memoryMB(pid, 'VmRSS');
    if (now !== null) peak = Math.max(peak ?? 0, now);
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const value = await run();
    sample();
    return { value, peakMB: peak };
  } finally {
    clearInterval(timer);
  }
}
