import type { Command } from 'commander';
import { addConsumer, disableConsumer } from '../../accounts/admin';
import { withAdmin } from '../context';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';

export function registerConsumer(program: Command, globals: () => GlobalOptions): void {
  const consumer = program.command('consumer').description('OAuth 1.0a consumers (and xAuth)');
  consumer
    .command('add')
    .description('register a consumer; prints its key and secret once')
    .requiredOption('--name <name>', 'display name shown on the consent page')
    .option('--callback <url>', 'default callback URL (or oob)')
    .option('--xauth', 'trusted for xAuth (username and password for a token)', false)
    .option('--profile <name>', 'operator profile')
    .option('--access-ttl <seconds>', 'access token lifetime for this consumer')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const { consumer: c, secret } = await withAdmin(globals().config, (ctx) => addConsumer(ctx, opts));
      const out = { key: c.key, secret, name: c.name, callback: c.callbackUrl, xauth: c.xauth, accessTtl: c.accessTtl };
      print(opts.json, out, () => [
        `consumer ${c.name} created`,
        `  consumer key:    ${c.key}`,
        `  consumer secret: ${secret}`,
        'The secret is shown only now: store it safely.',
      ]);
    });
  consumer
    .command('list')
    .description('list consumers (never their secrets)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const rows = (await withAdmin(globals().config, (ctx) => ctx.store.consumers.list())).map((c) => ({
        key: c.key,
        name: c.name,
        callback: c.callbackUrl,
        xauth: c.xauth,
        enabled: c.enabled,
      }));
      print(opts.json, rows, () =>
        table(['KEY', 'NAME', 'XAUTH', 'ENABLED', 'CALLBACK'], rows.map((c) => [c.key, c.name, String(c.xauth), String(c.enabled), c.callback ?? '-'])),
      );
    });
  consumer
    .command('disable <key>')
    .description('disable a consumer: its signatures are refused, its tokens and sessions end on every node')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      await withAdmin(globals().config, (ctx) => disableConsumer(ctx, key));
      print(opts.json, { key, enabled: false }, () => [`consumer ${key} disabled`]);
    });
}
