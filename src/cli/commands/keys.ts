import type { Command } from 'commander';
import { listKeys, retireKey, rotateKeys } from '../../oidc/keys-admin';
import { withAdmin } from '../context';
import { withAudit } from '../audited';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';

/** `keys list | rotate | retire KID`: the OpenID provider's signing keys (src/oidc/key-states.ts). */
export function registerKeys(program: Command, globals: () => GlobalOptions): void {
  const keys = program.command('keys').description('the OpenID Connect signing keys (ID tokens, JWT access tokens)');
  keys
    .command('list')
    .description('list the signing keys: next (published, not signing yet), active (signing), retired (published until what it signed expires)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const rows = await withAdmin(globals().config, (ctx) => listKeys(ctx));
      print(opts.json, rows, () =>
        table(['KID', 'ALG', 'STATE', 'CREATED', 'PUBLISHED UNTIL'], rows.map((k) => [k.kid, k.alg, k.state, k.createdAt, k.publishedUntil ?? '-'])),
      );
    });
  keys
    .command('rotate')
    .description('the published next key starts signing, the active key retires, a new next key is published')
    .option('--alg <alg>', 'only this algorithm (RS256 or ES256; default: both)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const result = await withAudit(globals().config, { operation: 'rotateSigningKeys', targetKind: 'signing_key', target: opts.alg ?? 'all' }, (ctx, config) =>
        rotateKeys(ctx, config, opts.alg),
      );
      print(opts.json, result, () => [
        `signing now: ${result.promoted.join(', ') || '(unchanged: no next key was published yet; run rotate again)'}`,
        `retired: ${result.retired.join(', ') || '-'}`,
        `published as next: ${result.made.join(', ')}`,
        ...(result.dropped.length > 0 ? [`dropped from the JWKS: ${result.dropped.join(', ')}`] : []),
      ]);
    });
  keys
    .command('retire <kid>')
    .description('stop signing with a key (an active key hands over to the published next key); it stays published until what it signed expires')
    .option('--json', 'JSON output')
    .action(async (kid: string, opts) => {
      const result = await withAudit(globals().config, { operation: 'retireSigningKey', targetKind: 'signing_key', target: kid }, (ctx, config) => retireKey(ctx, config, kid));
      print(opts.json, result, () => [`key ${result.retired} retired${result.promoted ? `; ${result.promoted} signs now` : ''}`]);
    });
}
