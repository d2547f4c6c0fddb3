import { spawnCli } from './serve';

/** One JSON log line of a served gateway (worker lines carry `worker` and `pid`). */
export interface LogLine {
  level: string;
  msg: string;
  pid?: number;
  worker?: number;
  reqId?: string;
  [key: string]: unknown;
}

/** The JSON log lines in what a served gateway printed. */
export function logLines(stdout: string): LogLine[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{"level"'))
    .map((l) => JSON.parse(l) as LogLine);
}

/** The pid of the process whose access line carries this request id (undefined while none does). */
export function pidServing(stdout: string, reqId: string): number | undefined {
  return logLines(stdout).find((l) => l.reqId === reqId && (l.msg === 'request' || l.msg === 'proxied'))?.pid;
}

/** Polls until the printed log holds lines the check accepts; returns them (throws after the timeout). */
export async function waitForLog(stdout: () => string, accept: (lines: LogLine[]) => boolean, timeoutMs = 30_000): Promise<LogLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = logLines(stdout());
    if (accept(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`the expected log lines did not appear; log:\n${stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs a CLI command (the compiled binary) to its end. */
export async function runCli(cwd: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(cwd, env, args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d.toString()));
  child.stderr!.on('data', (d) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(killer);
  return { code, stdout, stderr };
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
