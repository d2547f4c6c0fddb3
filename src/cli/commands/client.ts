import type { Command } from 'commander';
import { addClient, disableClient } from '../../accounts/admin';
import { withAdmin } from '../context';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerClient(program: Command, globals: () => GlobalOptions): void {
  const client = program.command('client').description('OAuth 2.0 clients');
  client
    .command('add')
    .description('register a client; prints its client_id and secret once')
    .requiredOption('--name <name>', 'display name shown on the consent page')
    .requiredOption('--grants <list>', 'authorization_code,password,client_credentials,refresh_token,device_code')
    .option('--id <client_id>', 'choose the client_id (default: random)')
    .option('--public', 'public client: no secret (ClearPass "public client")', false)
    .option('--redirect-uri <url>', 'registered redirect URI (repeatable)', collect, [])
    .option('--refresh', 'allow refresh tokens', false)
    .option('--implicit', 'allow response_type=token', false)
    .option('--allow-plain-pkce', 'accept the PKCE "plain" method', false)
    .option('--access-ttl <seconds>', 'access token lifetime')
    .option('--refresh-ttl <seconds>', 'refresh token lifetime')
    .option('--code-ttl <seconds>', 'authorization code lifetime (at most 600)')
    .option('--scopes <list>', 'scopes this client may ask for')
    .option('--profile <name>', 'operator profile')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const { client: c, secret } = await withAdmin(globals().config, (ctx) => addClient(ctx, { ...opts, redirectUris: opts.redirectUri }));
      const out = {
        client_id: c.clientId,
        client_secret: secret,
        name: c.name,
        public: secret === null,
        grants: c.grants,
        implicit: c.implicit,
        refresh: c.refresh,
        redirect_uris: c.redirectUris,
        scopes: c.scopes,
      };
      print(opts.json, out, () => [
        `client ${c.name} created`,
        `  client_id:     ${c.clientId}`,
        secret ? `  client_secret: ${secret}` : '  public client: no secret',
        ...(secret ? ['The secret is shown only now: store it safely.'] : []),
      ]);
    });
  client
    .command('list')
    .description('list clients (never their secrets)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const rows = (await withAdmin(globals().config, (ctx) => ctx.store.clients.list())).map((c) => ({
        client_id: c.clientId,
        name: c.name,
        public: c.secretHash === null,
        grants: c.grants,
        implicit: c.implicit,
        refresh: c.refresh,
        redirect_uris: c.redirectUris,
        scopes: c.scopes,
        enabled: c.enabled,
      }));
      print(opts.json, rows, () =>
        table(
          ['CLIENT_ID', 'NAME', 'PUBLIC', 'GRANTS', 'ENABLED'],
          rows.map((c) => [c.client_id, c.name, String(c.public), c.grants.join(','), String(c.enabled)]),
        ),
      );
    });
  client
    .command('disable <client_id>')
    .description('disable a client: its tokens stop working on every node, consents given to it are forgotten')
    .option('--json', 'JSON output')
    .action(async (clientId: string, opts) => {
      await withAdmin(globals().config, (ctx) => disableClient(ctx, clientId));
      print(opts.json, { client_id: clientId, enabled: false }, () => [`client ${clientId} disabled`]);
    });
}
