import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cliBinary } from './serve';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The compiled CLI as a child process (what an operator runs), with its own data dir and only PATH
 * and the given variables in its environment; `input` is written to its standard input, a pipe.
 */
export function cliProcess(env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-cli-proc-'));
  const baseEnv = () => ({ PATH: process.env.PATH ?? '', GATEWAY_DATA_DIR: dataDir, GATEWAY_LOG_LEVEL: 'silent', ...env });
  function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<ProcessResult> {
    const child = spawn(process.execPath, [cliBinary, ...args], { env: { ...baseEnv(), ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.stdin.end(options.input ?? '');
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
  return { run, dataDir, env: baseEnv, cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * The CLI on a real terminal: util-linux `script` gives it a pseudo-terminal as standard input and
 * output. `answer(prompt, text)` waits until the prompt has been printed, then types the text and
 * Enter, as a person would; `transcript()` is everything the terminal showed.
 */
export function cliOnTerminal(args: string[], env: Record<string, string>) {
  const quoted = [process.execPath, cliBinary, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', quoted, '/dev/null'], { env: { PATH: process.env.PATH ?? '', TERM: 'dumb', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let shown = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d) => {
    shown += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.on('data', (d) => (shown += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  function shownAfter(from: number, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (shown.indexOf(text, from) !== -1) resolve();
        else waiters.push(check);
      };
      exited.then(() => reject(new Error(`exited before "${text}" was shown: ${shown}`)));
      check();
    });
  }
  let seen = 0;
  return {
    async answer(prompt: string, text: string): Promise<void> {
      await shownAfter(seen, prompt);
      seen = shown.indexOf(prompt, seen) + prompt.length;
      child.stdin.write(text + '\r');
    },
    exited,
    transcript: () => shown,
  };
}
