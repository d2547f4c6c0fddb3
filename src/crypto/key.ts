import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { makePrivateDir } from '../private-files';

/** The one rule for a secret key, wherever it comes from (config, key file, `secrets rotate`). */
export const SECRET_KEY_RULE = 'must be 32 bytes, as 64 hex characters or base64';

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters (either alphabet: base64url is what tokens use), then one "="
// of padding or none. Buffer's decoder skips what it does not know, so the shape is checked first.
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/** The key's bytes; anything else is refused (the message never echoes the key). */
export function decodeSecretKey(text: string): Buffer {
  if (HEX_KEY.test(text)) return Buffer.from(text, 'hex');
  if (BASE64_KEY.test(text)) return Buffer.from(text, 'base64');
  throw new Error(`the secret key ${SECRET_KEY_RULE}`);
}

function readKeyFile(file: string): Buffer {
  try {
    return decodeSecretKey(fs.readFileSync(file, 'utf8').trim());
  } catch (err) {
    // A truncated or hand-edited file must stop start-up with its path, not surface later as a bad cipher.
    throw new Error(`cannot use the secret key in ${file}: ${(err as Error).message}`);
  }
}

/**
 * The AES key: from the config (GATEWAY_SECRET_KEY) when given, else read from the data dir, else
 * generated once into `<dataDir>/secret.key` with mode 0600. `generated` tells the caller to warn.
 */
export function loadOrCreateSecretKey(configured: string | null, dataDir: string): { key: Buffer; generated: boolean; file?: string } {
  if (configured) return { key: decodeSecretKey(configured), generated: false };
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return { key: readKeyFile(file), generated: false, file };
  makePrivateDir(dataDir);
  const key = randomBytes(32);
  try {
    // 'wx': another process that got here first wins, and we read its key.
    fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return { key: readKeyFile(file), generated: false, file };
    }
    throw err;
  }
  return { key, generated: true, file };
}
