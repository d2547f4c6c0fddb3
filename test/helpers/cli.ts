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
