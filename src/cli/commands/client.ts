import type { Command } from 'commander';
import { addClient, disableClient, setClientOidc } from '../../accounts/admin';
import { enableClient } from '../../accounts/enable';
import { deleteClient } from '../../accounts/delete';
import { rotateClientSecret } from '../../accounts/rotate-secret';
import { InvalidInputError } from '../../accounts/validation';
import { withAdmin } from '../context';
import { withAudit } from '../audited';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerClient(program: Command, globals: () => GlobalOptions): void {
  const client = program.command('client').description('OAuth 2.0 clients');
  client
    .command('add')
    .description('register a client; prints its client_id and secret once')
    .requiredOption('--name <name>', 'display name shown on the consent page')
    .requiredOption('--grants <list>', 'comma-separated: authorization_code, implicit, password, client_credentials, refresh_token, device_code, external_token, token_exchange')
    .option('--id <client_id>', 'choose the client_id (default: random)')
    .option('--public', 'public client: no secret (ClearPass "public client")', false)
    .option('--redirect-uri <url>', 'registered redirect URI (repeatable)', collect, [])
    .option('--refresh', 'allow refresh tokens', false)
    .option('--implicit', 'allow response_type=token', false)
    .option('--allow-plain-pkce', 'accept the PKCE "plain" method', false)
    .option('--require-par', 'take authorization requests only pushed to /oauth2/par (RFC 9126)', false)
    .option('--access-ttl <seconds>', 'access token lifetime')
    .option('--refresh-ttl <seconds>', 'refresh token lifetime')
    .option('--code-ttl <seconds>', 'authorization code lifetime (at most 600)')
    .option('--scopes <list>', 'scopes this client may ask for')
    .option('--profile <name>', 'operator profile')
    .option('--id-token-alg <alg>', 'OpenID Connect ID token signature: RS256 (default) or ES256')
    .option('--access-token-format <format>', 'opaque (default) or jwt (RFC 9068, verifiable with the JWKS)')
    .option('--post-logout-redirect-uri <url>', 'where RP-initiated logout may send the browser back (repeatable)', collect, [])
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const { client: c, secret } = await withAudit(
        globals().config,
        { operation: 'createClient', targetKind: 'client', target: opts.id ?? '-' },
        (ctx) => addClient(ctx, { ...opts, redirectUris: opts.redirectUri, postLogoutRedirectUris: opts.postLogoutRedirectUri }),
        { targetOf: (created) => created.client.clientId },
      );
      const out = {
        client_id: c.clientId,
        client_secret: secret,
        name: c.name,
        public: secret === null,
        grants: c.implicit ? [...c.grants, 'implicit'] : c.grants,
        implicit: c.implicit,
        refresh: c.refresh,
        redirect_uris: c.redirectUris,
        scopes: c.scopes,
        require_par: c.requirePar,
        id_token_alg: c.idTokenAlg ?? 'RS256',
        access_token_format: c.accessTokenFormat ?? 'opaque',
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
      const rows = await withAdmin(globals().config, async (ctx) => {
        const profiles = new Map((await ctx.store.profiles.list()).map((p) => [p.id, p.name]));
        return (await ctx.store.clients.list()).map((c) => ({
          client_id: c.clientId,
          name: c.name,
          public: c.secretHash === null,
          // `--grants implicit` is stored as the implicit flag; lists show it among the grants it was given with.
          grants: c.implicit ? [...c.grants, 'implicit'] : [...c.grants],
          implicit: c.implicit,
          refresh: c.refresh,
          allow_plain_pkce: c.allowPlainPkce,
          redirect_uris: c.redirectUris,
          scopes: c.scopes,
          profile: c.profileId ? profiles.get(c.profileId) ?? null : null,
          access_ttl: c.accessTtl,
          refresh_ttl: c.refreshTtl,
          code_ttl: c.codeTtl,
          require_par: c.requirePar,
          enabled: c.enabled,
        }));
      });
      const ttl = (v: number | null) => (v === null ? 'default' : `${v}s`);
      print(opts.json, rows, () =>
        table(
          ['CLIENT_ID', 'NAME', 'PUBLIC', 'GRANTS', 'REFRESH', 'REDIRECT URIS', 'SCOPES', 'PROFILE', 'ACCESS TTL', 'REFRESH TTL', 'CODE TTL', 'ENABLED'],
          rows.map((c) => [
            c.client_id,
            c.name,
            String(c.public),
            c.grants.join(','),
            String(c.refresh),
            c.redirect_uris.join(' ') || '-',
            c.scopes.join(',') || '-',
            c.profile ?? '-',
            ttl(c.access_ttl),
            ttl(c.refresh_ttl),
            ttl(c.code_ttl),
            String(c.enabled),
          ]),
        ),
      );
    });
  client
    .command('set <client_id>')
    .description("change a client's OpenID Connect settings (flags left out keep their values)")
    .option('--id-token-alg <alg>', 'RS256 or ES256')
    .option('--access-token-format <format>', 'opaque or jwt (tokens already issued keep their format)')
    .option('--post-logout-redirect-uri <url>', 'replaces the registered post-logout redirect URIs (repeatable)', collect, [])
    .option('--json', 'JSON output')
    .action(async (clientId: string, opts) => {
      const c = await withAudit(globals().config, { operation: 'updateClient', targetKind: 'client', target: clientId }, (ctx) =>
        setClientOidc(ctx, clientId, { ...opts, postLogoutRedirectUris: opts.postLogoutRedirectUri }),
      );
      const out = {
        client_id: c.clientId,
        id_token_alg: c.idTokenAlg ?? 'RS256',
        access_token_format: c.accessTokenFormat ?? 'opaque',
        post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
      };
      print(opts.json, out, () => [`client ${c.clientId}: ID tokens ${out.id_token_alg}, ${out.access_token_format} access tokens`]);
    });
  client
    .command('disable <client_id>')
    .description('disable a client: its tokens stop working on every node, consents given to it are forgotten')
    .option('--json', 'JSON output')
    .action(async (clientId: string, opts) => {
      await withAudit(globals().config, { operation: 'disableClient', targetKind: 'client', target: clientId }, (ctx) => disableClient(ctx, clientId));
      print(opts.json, { client_id: clientId, enabled: false }, () => [`client ${clientId} disabled`]);
    });
  client
    .command('enable <client_id>')
    .description('enable a disabled client (what disabling revoked stays revoked)')
    .option('--json', 'JSON output')
    .action(async (clientId: string, opts) => {
      await withAudit(globals().config, { operation: 'enableClient', targetKind: 'client', target: clientId }, (ctx) => enableClient(ctx, clientId));
      print(opts.json, { client_id: clientId, enabled: true }, () => [`client ${clientId} enabled`]);
    });
  client
    .command('delete <client_id>')
    .description('delete a client: its tokens end on every node first')
    .option('--json', 'JSON output')
    .action(async (clientId: string, opts) => {
      await withAudit(globals().config, { operation: 'deleteClient', targetKind: 'client', target: clientId }, (ctx) => deleteClient(ctx, clientId));
      print(opts.json, { client_id: clientId, deleted: true }, () => [`client ${clientId} deleted`]);
    });
  client
    .command('rotate-secret <client_id>')
    .description('give a confidential client a new secret, printed once; the old one stops at once, or after --grace seconds')
    .option('--grace <seconds>', 'keep accepting the old secret this long (at most 7 days)')
    .option('--json', 'JSON output')
    .action(async (clientId: string, opts) => {
      if (opts.grace !== undefined && !/^\d+$/.test(opts.grace)) throw new InvalidInputError('--grace must be a whole number of seconds');
      const graceSeconds = opts.grace === undefined ? 0 : Number(opts.grace);
      const { secret, previousValidUntil } = await withAudit(globals().config, { operation: 'rotateClientSecret', targetKind: 'client', target: clientId }, (ctx) =>
        rotateClientSecret(ctx, clientId, { graceSeconds }),
      );
      const until = previousValidUntil === null ? null : new Date(previousValidUntil).toISOString();
      print(opts.json, { client_id: clientId, client_secret: secret, previous_secret_valid_until: until }, () => [
        `client ${clientId} has a new secret`,
        `  client_secret: ${secret}`,
        until ? `The old secret is accepted until ${until}.` : 'The old secret no longer works.',
        'The secret is shown only now: store it safely.',
      ]);
    });
}
