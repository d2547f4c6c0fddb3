import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI entry in this process with its own data dir, capturing what it prints.
 * (The first-run e2e test runs the compiled binary as a child process.)
 */
export function cliRunner(env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-cli-'));
  async function run(...args: string[]): Promise<CliResult> {
    const saved = { ...process.env };
    Object.assign(process.env, { GATEWAY_DATA_DIR: dataDir, GATEWAY_LOG_LEVEL: 'silent' }, env);
    let stdout = '';
    let stderr = '';
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += chunk.toString();
      return true;
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += chunk.toString();
      return true;
    });
    try {
      const code = await main(['node', 'oauth-gateway', ...args]);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.env = saved;
    }
  }
  return { run, dataDir, cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** A command that succeeded with `--json`: nothing on stderr but the first run's key warning, exit 0; its parsed output. */
export function jsonOf<T = any>(result: CliResult): T {
  // The first command that needs the secret key generates it and says so; nothing else may be on stderr.
  expect(result.stderr.replace(/^warning: generated a new secret key in .*\n/, '')).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** A refused command: exit 2, nothing on stdout, and one line on stderr (after the key warning) that names the problem. */
export function refusedWith(result: CliResult, mentions: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.replace(/^warning: generated a new secret key in .*\n/, '').trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(mentions);
}
