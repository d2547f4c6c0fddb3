import { execFile } from 'node:child_process';
import path from 'node:path';

/** What the relying party child answered: the step's result, or the library's refusal. */
export type RpAnswer = Record<string, any> & { error?: { name?: string; code?: string; message?: string; cause?: string | null } };

/** Runs one step of openid-client 6 (test/helpers/oidc-rp-child.mjs) against the gateway, in a child process. */
export function rp(step: string, args: Record<string, unknown>): Promise<RpAnswer> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'oidc-rp-child.mjs'), JSON.stringify({ step, ...args })],
      { cwd: path.resolve(__dirname, '..', '..'), timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`openid-client child failed: ${err.message} ${stderr}`));
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
        } catch {
          reject(new Error(`openid-client child printed no JSON: ${stdout} ${stderr}`));
        }
      },
    );
  });
}
