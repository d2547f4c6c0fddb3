import type { Command } from 'commander';
import { addConsumer, disableConsumer, setConsumerCallback } from '../../accounts/admin';
import type { CallbackMatch } from '../../storage/types';
import { withAdmin } from '../context';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';

export function registerConsumer(program: Command, globals: () => GlobalOptions): void {
  const consumer = program.command('consumer').description('OAuth 1.0a consumers (and xAuth)');
  consumer
    .command('add')
    .description('register a consumer; prints its key and secret once')
    .requiredOption('--name <name>', 'display name shown on the consent page')
    .option('--callback <url>', 'registered callback: requests may only use callbacks under it (or oob); a URL, oob, or a native app scheme like myapp://cb')
    .option('--callback-match <mode>', 'prefix (same origin and path prefix, the default) or exact')
    .option('--xauth', 'trusted for xAuth (username and password for a token)', false)
    .option('--profile <name>', 'operator profile')
    .option('--access-ttl <seconds>', 'access token lifetime for this consumer')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const { consumer: c, secret } = await withAdmin(globals().config, (ctx) => addConsumer(ctx, opts));
      const out = { key: c.key, secret, name: c.name, callback: c.callbackUrl, callbackMatch: c.callbackMatch, xauth: c.xauth, accessTtl: c.accessTtl };
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
        callbackMatch: c.callbackMatch,
        xauth: c.xauth,
        enabled: c.enabled,
      }));
      print(opts.json, rows, () =>
        table(['KEY', 'NAME', 'XAUTH', 'ENABLED', 'CALLBACK'], rows.map((c) => [c.key, c.name, String(c.xauth), String(c.enabled), callbackText(c.callback, c.callbackMatch)])),
      );
    });
  consumer
    .command('set <key>')
    .description("change a consumer's registered callback or how requests must match it")
    .option('--callback <url>', 'register this callback (a URL, oob, or a native app scheme)')
    .option('--no-callback', 'remove the registration: any http(s) callback (or oob) is accepted')
    .option('--callback-match <mode>', 'prefix or exact')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      const c = await withAdmin(globals().config, (ctx) => setConsumerCallback(ctx, key, { callback: opts.callback, callbackMatch: opts.callbackMatch }));
      print(opts.json, { key: c.key, callback: c.callbackUrl, callbackMatch: c.callbackMatch }, () => [
        `consumer ${c.key}: callback ${callbackText(c.callbackUrl, c.callbackMatch)}`,
      ]);
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

function callbackText(callback: string | null, match: CallbackMatch): string {
  if (callback === null) return 'any http(s) URL or oob';
  return callback === 'oob' ? 'oob' : `${callback} (${match})`;
}
