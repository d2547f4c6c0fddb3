import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../src/paths';

// Every server under test runs in a process of its own, started and stopped here.

export interface Server {
  name: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
}

/** Starts one of bench/servers/ (compiled), with node flags `execArgv`, and waits for it to report its URL over IPC. */
export function startBenchServer(name: string, entry: string, args: string[], execArgv: string[] = process.execArgv): Promise<Server> {
  const child = fork(path.join(__dirname, 'servers', entry), args, { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, NODE_ENV: 'production' } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; url?: string }) => {
      if (!message.ready || !message.url) return;
      clearTimeout(timer);
      resolve({ name, url: message.url, pid: child.pid as number, stop: stopper(child) });
    });
  });
}

/** Resolves once something answers HTTP at the URL; rejects when `failed` says the process is gone. */
async function answering(url: string, failed: () => string | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(reason);
    try {
      await (await fetch(url, { signal: AbortSignal.timeout(1000) })).arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing answered at ${url} within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Runs the gateway the way an operator does, `node [flags] bin/oauth-gateway.js serve --config FILE
 * [args]`, and waits until it answers at `url`. Its logs (stdout, a line per request) are discarded;
 * the end of its stderr becomes the error when it exits before answering (an unknown flag, a refused
 * config).
 */
export async function startGatewayCli(name: string, options: { configFile: string; url: string; args: string[]; nodeFlags: string[]; root?: string }): Promise<Server> {
  const cli = path.join(options.root ?? projectRoot, 'bin', 'oauth-gateway.js');
  const child = spawn(process.execPath, [...options.nodeFlags, cli, '--config', options.configFile, 'serve', ...options.args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const stop = stopper(child);
  const failed = () => {
    if (child.exitCode === null && child.signalCode === null) return null;
    const last = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
    return `${name} exited with ${child.exitCode ?? child.signalCode}${last ? `: ${last}` : ''}`;
  };
  try {
    await answering(`${options.url}/.well-known/oauth-authorization-server`, failed, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, url: options.url, pid: child.pid as number, stop };
}
