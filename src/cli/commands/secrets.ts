import fs from 'node:fs';
import type { Command } from 'commander';
import { InvalidInputError } from '../../accounts/validation';
import { SECRET_KEY_RULE, SealedSecretError, SecretBox, decodeSecretKey } from '../../crypto';
import { resealStoredSecrets } from '../../crypto/rotation';
import { withAudit } from '../audited';
import { print } from '../output';
import type { GlobalOptions } from '../program';
import { readStdinLine } from '../stdin';

function newKeyFrom(text: string | undefined): Buffer {
  if (text === undefined || text.trim() === '') throw new InvalidInputError('--new-key is required (or give the key as one line on standard input)');
  try {
    return decodeSecretKey(text.trim());
  } catch {
    throw new InvalidInputError(`--new-key ${SECRET_KEY_RULE}`);
  }
}

/**
 * `secrets rotate`: every sealed secret re-sealed with a new key in one transaction. A key kept in
 * the data dir's key file is replaced there too: the new file is written before the transaction
 * and moved over the old one after it commits, so the file and the data never disagree for long.
 */
export function registerSecrets(program: Command, globals: () => GlobalOptions): void {
  const secrets = program.command('secrets').description('the secret key that seals OAuth 1.0a secrets');
  secrets
    .command('rotate')
    .description('re-seal every stored secret with a new key, in one transaction (stop the gateway nodes first)')
    .option('--new-key <key>', 'the new key: 32 bytes as 64 hex characters or base64 (default: one line on standard input)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const newKey = newKeyFrom(opts.newKey ?? (await readStdinLine('new secret key: ')));
      const result = await withAudit(globals().config, { operation: 'rotateSecretKey', targetKind: 'secret_key', target: '-' }, async (ctx, _config, current) => {
        if (newKey.equals(current.key)) throw new InvalidInputError('the new key is the key in use');
        const staged = current.file ? `${current.file}.new` : null;
        if (staged) {
          fs.rmSync(staged, { force: true });
          fs.writeFileSync(staged, newKey.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
        }
        try {
          const count = await ctx.store.transaction((tx) => resealStoredSecrets(tx, ctx.secrets, new SecretBox(newKey), ctx.clock()));
          if (staged && current.file) fs.renameSync(staged, current.file);
          return { resealed: count, keyFile: current.file ?? null };
        } catch (err) {
          if (staged) fs.rmSync(staged, { force: true });
          if (err instanceof SealedSecretError) throw new InvalidInputError('a stored secret does not open with the current key; nothing was changed');
          throw err;
        }
      });
      print(opts.json, result, () => [
        `re-sealed ${result.resealed} stored secret(s) with the new key`,
        result.keyFile
          ? `the new key is in ${result.keyFile}; start the gateway again`
          : 'now set GATEWAY_SECRET_KEY (or secretKey) to the new key on every node and start them',
      ]);
    });
}
