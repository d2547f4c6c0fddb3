import { spawn } from 'node:child_process';
import path from 'node:path';

export interface OpenApiValidation {
  valid: boolean;
  version: string;
  errors: unknown;
}

/** Runs the OpenAPI validator from npm on a document, in a child process (the validator is ESM only). */
export function validateOpenApi(document: unknown): Promise<OpenApiValidation> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'openapi-validate-child.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`validator exited ${code}: ${err}`));
      resolve(JSON.parse(out) as OpenApiValidation);
    });
    child.stdin.end(JSON.stringify(document));
  });
}
