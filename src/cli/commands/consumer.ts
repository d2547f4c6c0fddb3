import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { addConsumer, disableConsumer, setConsumerCallback } from '../../accounts/admin';
import { linkConsumer, unlinkConsumer } from '../../accounts/consumer-links';
import { enableConsumer } from '../../accounts/enable';
import { deleteConsumer } from '../../accounts/delete';
import { rotateConsumerSecret } from '../../accounts/rotate-secret';
import { InvalidInputError } from '../../accounts/validation';
import { rsaPublicKeyOf } from '../../oauth1/rsa-keys';
import type { CallbackMatch, ConsumerRow } from '../../storage/types';
import { withAdmin } from '../context';
import { withAudit } from '../audited';
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
    .option('--rsa-public-key <file>', "PEM file with the consumer's RSA public key (or certificate) for RSA-SHA1; at least 2048 bits")
    .option('--allow-1024-bit-key', 'accept a 1024-bit RSA key (older Jira application links)', false)
    .option('--signature-methods <list>', "comma-separated methods this consumer may use (HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, RSA-SHA1, PLAINTEXT); default: the gateway's oauth1.signatureMethods")
    .option('--requestor', 'may name a user with xoauth_requestor_id on two-legged requests', false)
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const input = { ...opts, rsaPublicKey: opts.rsaPublicKey === undefined ? undefined : readKeyFile(opts.rsaPublicKey), allowLegacyRsaKey: opts.allow1024BitKey };
      const { consumer: c, secret } = await withAudit(globals().config, { operation: 'createConsumer', targetKind: 'consumer', target: '-' }, (ctx) => addConsumer(ctx, input), {
        targetOf: (created) => created.consumer.key,
      });
      const out = { key: c.key, secret, name: c.name, callback: c.callbackUrl, callbackMatch: c.callbackMatch, xauth: c.xauth, accessTtl: c.accessTtl, ...signingOf(c) };
      print(opts.json, out, () => [
        `consumer ${c.name} created`,
        `  consumer key:    ${c.key}`,
        `  consumer secret: ${secret}`,
        `  signature methods: ${methodsText(c.signatureMethods)}${c.rsaPublicKey ? ' (RSA public key registered)' : ''}`,
        'The secret is shown only now: store it safely.',
      ]);
    });
  consumer
    .command('list')
    .description('list consumers (never their secrets)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const { consumers, links, profiles } = await withAdmin(globals().config, async (ctx) => ({
        consumers: await ctx.store.consumers.list(),
        links: new Map((await ctx.store.consumerLinks.list()).map((l) => [l.consumerKey, l.clientId])),
        profiles: new Map((await ctx.store.profiles.list()).map((p) => [p.id, p.name])),
      }));
      const rows = consumers.map((c) => ({
        key: c.key,
        name: c.name,
        callback: c.callbackUrl,
        callbackMatch: c.callbackMatch,
        xauth: c.xauth,
        enabled: c.enabled,
        profile: c.profileId ? profiles.get(c.profileId) ?? null : null,
        accessTtl: c.accessTtl,
        ...signingOf(c),
        linkedClient: links.get(c.key) ?? null,
      }));
      print(opts.json, rows, () =>
        table(
          ['KEY', 'NAME', 'XAUTH', 'ENABLED', 'PROFILE', 'ACCESS TTL', 'METHODS', 'RSA', 'REQUESTOR', 'CALLBACK', 'LINKED CLIENT'],
          rows.map((c) => [
            c.key,
            c.name,
            String(c.xauth),
            String(c.enabled),
            c.profile ?? '-',
            c.accessTtl === null ? 'default' : `${c.accessTtl}s`,
            methodsText(c.signatureMethods),
            c.rsaKeyBits === null ? '-' : `${c.rsaKeyBits} bits`,
            String(c.requestor),
            callbackText(c.callback, c.callbackMatch),
            c.linkedClient ?? '-',
          ]),
        ),
      );
    });
  consumer
    .command('show <key>')
    .description('one consumer, with how it signs (never its secret)')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      const c = await withAdmin(globals().config, async (ctx) => {
        const found = await ctx.store.consumers.findByKey(key);
        if (!found) throw new InvalidInputError(`unknown consumer "${key}"`);
        return found;
      });
      const out = {
        key: c.key,
        name: c.name,
        callback: c.callbackUrl,
        callbackMatch: c.callbackMatch,
        xauth: c.xauth,
        enabled: c.enabled,
        accessTtl: c.accessTtl,
        ...signingOf(c),
        rsaPublicKey: c.rsaPublicKey,
      };
      print(opts.json, out, () => [
        `consumer ${c.key} (${c.name})`,
        `  enabled:           ${c.enabled}`,
        `  xauth:             ${c.xauth}`,
        `  callback:          ${callbackText(c.callbackUrl, c.callbackMatch)}`,
        `  signature methods: ${methodsText(c.signatureMethods)}`,
        `  RSA public key:    ${out.rsaKeyBits === null ? 'none' : `${out.rsaKeyBits} bits`}`,
        `  requestor:         ${c.requestor}`,
        ...(c.rsaPublicKey ? [c.rsaPublicKey.trimEnd()] : []),
      ]);
    });
  consumer
    .command('set <key>')
    .description("change a consumer's registered callback or how requests must match it")
    .option('--callback <url>', 'register this callback (a URL, oob, or a native app scheme)')
    .option('--no-callback', 'remove the registration: any http(s) callback (or oob) is accepted')
    .option('--callback-match <mode>', 'prefix or exact')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      const c = await withAudit(globals().config, { operation: 'updateConsumer', targetKind: 'consumer', target: key }, (ctx) =>
        setConsumerCallback(ctx, key, { callback: opts.callback, callbackMatch: opts.callbackMatch }),
      );
      print(opts.json, { key: c.key, callback: c.callbackUrl, callbackMatch: c.callbackMatch }, () => [
        `consumer ${c.key}: callback ${callbackText(c.callbackUrl, c.callbackMatch)}`,
      ]);
    });
  consumer
    .command('link <key>')
    .description("link the consumer to an OAuth 2.0 client: its OAuth 1.0a access tokens may be exchanged for that client's tokens (RFC 8693)")
    .requiredOption('--client <id>', 'the client_id (registered for the token_exchange grant)')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      const link = await withAudit(globals().config, { operation: 'linkConsumer', targetKind: 'consumer', target: key }, (ctx) => linkConsumer(ctx, key, opts.client));
      print(opts.json, { key: link.consumerKey, linkedClient: link.clientId }, () => [`consumer ${link.consumerKey} linked to client ${link.clientId}`]);
    });
  consumer
    .command('unlink <key>')
    .description('end the link: its OAuth 1.0a access tokens can no longer be exchanged (tokens already issued stay)')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      await withAudit(globals().config, { operation: 'unlinkConsumer', targetKind: 'consumer', target: key }, (ctx) => unlinkConsumer(ctx, key));
      print(opts.json, { key, linkedClient: null }, () => [`consumer ${key} unlinked`]);
    });
  consumer
    .command('disable <key>')
    .description('disable a consumer: its signatures are refused, its tokens and sessions end on every node')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      await withAudit(globals().config, { operation: 'disableConsumer', targetKind: 'consumer', target: key }, (ctx) => disableConsumer(ctx, key));
      print(opts.json, { key, enabled: false }, () => [`consumer ${key} disabled`]);
    });
  consumer
    .command('enable <key>')
    .description('enable a disabled consumer (what disabling revoked stays revoked)')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      await withAudit(globals().config, { operation: 'enableConsumer', targetKind: 'consumer', target: key }, (ctx) => enableConsumer(ctx, key));
      print(opts.json, { key, enabled: true }, () => [`consumer ${key} enabled`]);
    });
  consumer
    .command('delete <key>')
    .description('delete a consumer: its tokens and sessions end on every node first')
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      await withAudit(globals().config, { operation: 'deleteConsumer', targetKind: 'consumer', target: key }, (ctx) => deleteConsumer(ctx, key));
      print(opts.json, { key, deleted: true }, () => [`consumer ${key} deleted`]);
    });
  consumer
    .command('rotate-secret <key>')
    .description("give a consumer a new secret, printed once; the old one, and the consumer's tokens and sessions, end at once, or after --grace seconds")
    .option('--grace <seconds>', "keep accepting the old secret, and the consumer's tokens from before, this long (at most 7 days)")
    .option('--json', 'JSON output')
    .action(async (key: string, opts) => {
      if (opts.grace !== undefined && !/^\d+$/.test(opts.grace)) throw new InvalidInputError('--grace must be a whole number of seconds');
      const graceSeconds = opts.grace === undefined ? 0 : Number(opts.grace);
      const { secret, previousValidUntil } = await withAudit(globals().config, { operation: 'rotateConsumerSecret', targetKind: 'consumer', target: key }, (ctx) =>
        rotateConsumerSecret(ctx, key, { graceSeconds }),
      );
      const until = previousValidUntil === null ? null : new Date(previousValidUntil).toISOString();
      print(opts.json, { key, secret, previous_secret_valid_until: until }, () => [
        `consumer ${key} has a new secret`,
        `  consumer secret: ${secret}`,
        until === null ? "the old secret and the consumer's tokens ended at once" : `the old secret, and the consumer's tokens from before, work until ${until}`,
        'The secret is shown only now: store it safely.',
      ]);
    });
}

/** How a consumer signs, for list, show and add: never the secret. */
function signingOf(c: ConsumerRow): { signatureMethods: readonly string[] | null; rsaKeyBits: number | null; requestor: boolean } {
  const rsaKeyBits = c.rsaPublicKey === null ? null : (rsaPublicKeyOf(c.rsaPublicKey).asymmetricKeyDetails?.modulusLength ?? null);
  return { signatureMethods: c.signatureMethods, rsaKeyBits, requestor: c.requestor };
}

function methodsText(methods: readonly string[] | null): string {
  return methods === null ? "the gateway's list" : methods.join(', ');
}

/** The PEM text of --rsa-public-key; a file that can't be read is the operator's error, in one line. */
function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidInputError((n) => `${n('rsaPublicKey')}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function callbackText(callback: string | null, match: CallbackMatch): string {
  if (callback === null) return 'any http(s) URL or oob';
  return callback === 'oob' ? 'oob' : `${callback} (${match})`;
}
