import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export function decodeSecretKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}

/**
 * The AES key: from the config (GATEWAY_SECRET_KEY) when given, else read from the data dir, else
 * generated once into `<dataDir>/secret.key` with mode 0600. `generated` tells the caller to warn.
 */
export function loadOrCreateSecretKey(configured: string | null, dataDir: string): { key: Buffer; generated: boolean; file?: string } {
  if (configured) return { key: decodeSecretKey(configured), generated: false };
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return { key: decodeSecretKey(fs.readFileSync(file, 'utf8').trim()), generated: false, file };
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    // 'wx': another process that got here first wins, and we read its key.
    fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return { key: decodeSecretKey(fs.readFileSync(file, 'utf8').trim()), generated: false, file };
    }
    throw err;
  }
  return { key, generated: true, file };
}
