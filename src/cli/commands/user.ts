import type { Command } from 'commander';
import { addUser, setUserEnabled, setUserPassword, setUserProfile } from '../../accounts/admin';
import { listUserGrants, revokeOneUserGrant, revokeUserGrants } from '../../accounts/user-grants';
import { InvalidInputError } from '../../accounts/validation';
import { withAdmin } from '../context';
import { withAudit } from '../audited';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';
import { readNewPassword } from '../stdin';
import { deleteUser } from '../../accounts/delete';

export function registerUser(program: Command, globals: () => GlobalOptions): void {
  const user = program.command('user').description('users who log in (resource owners)');
  user
    .command('add')
    .description('create a user')
    .requiredOption('--username <username>', 'login name (unique, case-insensitive)')
    .option('--password <password>', 'password, at least 8 characters (default: asked twice without echo on a terminal, else one line on standard input)')
    .option('--profile <name>', 'operator profile giving the privileges')
    .option('--name <name>', 'full name (the OpenID Connect profile scope shares it)')
    .option('--email <address>', 'email address (the OpenID Connect email scope shares it)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const password = opts.password ?? (await readNewPassword(opts.username));
      const created = await withAudit(globals().config, { operation: 'createUser', targetKind: 'user', target: String(opts.username) }, async (ctx) => {
        const u = await addUser(ctx, { ...opts, password });
        const profile = u.profileId ? await ctx.store.profiles.findById(u.profileId) : null;
        return { id: u.id, username: u.username, profile: profile?.name ?? null, enabled: u.enabled };
      });
      print(opts.json, created, () => [`user ${created.username} created (id ${created.id})`]);
    });
  user
    .command('set <username>')
    .description('set the name and email shared with OpenID Connect clients (an empty value clears it)')
    .option('--name <name>', 'full name (profile scope: name)')
    .option('--email <address>', 'email address (email scope: email)')
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      const u = await withAudit(globals().config, { operation: 'updateUser', targetKind: 'user', target: username }, (ctx) => setUserProfile(ctx, username, opts));
      const out = { username: u.username, name: u.displayName, email: u.email };
      print(opts.json, out, () => [`user ${u.username}: name ${u.displayName ?? '-'}, email ${u.email ?? '-'}`]);
    });
  user
    .command('list')
    .description('list users')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const rows = await withAdmin(globals().config, async (ctx) => {
        const profiles = new Map((await ctx.store.profiles.list()).map((p) => [p.id, p.name]));
        return (await ctx.store.users.list()).map((u) => ({
          id: u.id,
          username: u.username,
          profile: u.profileId ? profiles.get(u.profileId) ?? null : null,
          enabled: u.enabled,
          source: u.source,
        }));
      });
      print(opts.json, rows, () =>
        table(['USERNAME', 'ID', 'PROFILE', 'ENABLED', 'SOURCE'], rows.map((u) => [u.username, u.id, u.profile ?? '-', String(u.enabled), u.source])),
      );
    });
  user
    .command('disable <username>')
    .description('disable a user: sign-ins are refused; tokens, sessions, consents and browser sign-ins end on every node')
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      await withAudit(globals().config, { operation: 'disableUser', targetKind: 'user', target: username }, (ctx) => setUserEnabled(ctx, username, false));
      print(opts.json, { username, enabled: false }, () => [`user ${username} disabled`]);
    });
  user
    .command('passwd <username>')
    .description('set a new password; everything given under the old one ends')
    .option('--password <password>', 'the new password (default: asked twice without echo on a terminal, else one line on standard input)')
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      const password = opts.password ?? (await readNewPassword(username));
      await withAudit(globals().config, { operation: 'setUserPassword', targetKind: 'user', target: username }, (ctx) => setUserPassword(ctx, username, password));
      print(opts.json, { username, passwordChanged: true }, () => [`password of ${username} changed`]);
    });
  user
    .command('grants <username>')
    .description("list the user's live grants across protocols: OAuth 1.0a sessions, OAuth 2.0 token families and tokens, consents, device grants")
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      const { grants } = await withAdmin(globals().config, (ctx) => listUserGrants(ctx, username));
      const rows = grants.map((g) => ({
        ...g,
        createdAt: new Date(g.createdAt).toISOString(),
        expiresAt: g.expiresAt === null ? null : new Date(g.expiresAt).toISOString(),
      }));
      print(opts.json, rows, () =>
        table(
          ['ID', 'PROTOCOL', 'KIND', 'CLIENT/CONSUMER', 'SCOPE', 'SINCE', 'EXPIRES'],
          rows.map((g) => [g.id, g.protocol, g.kind, g.party, g.scope.join(' ') || '-', g.createdAt, g.expiresAt ?? '-']),
        ),
      );
    });
  user
    .command('revoke <username>')
    .description("end the user's grants across protocols (all, or one client's or consumer's) on every node; the user stays enabled")
    .option('--client <id>', "only what the user gave this OAuth 2.0 client")
    .option('--consumer <key>', 'only what the user gave this OAuth 1.0a consumer')
    .option('--grant <id>', 'only this one grant (an ID from user grants): a refresh family, an access token, an OAuth 1.0a session, a device approval, a consent')
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      if (opts.grant !== undefined) {
        if (opts.client !== undefined || opts.consumer !== undefined) throw new InvalidInputError('give --grant alone, without --client or --consumer');
        const { grant, changed } = await withAudit(globals().config, { operation: 'revokeUserGrant', targetKind: 'grant', target: `${username}/${opts.grant}` }, (ctx) =>
          revokeOneUserGrant(ctx, username, opts.grant),
        );
        print(opts.json, { username, grant: grant.id, kind: grant.kind, party: grant.party, changed }, () => [
          `${grant.kind} ${grant.id} of ${username} (${grant.party}) revoked (${changed} rows changed)`,
        ]);
        return;
      }
      const changed = await withAudit(globals().config, { operation: 'revokeUserGrants', targetKind: 'grant', target: username }, (ctx) =>
        revokeUserGrants(ctx, username, { client: opts.client, consumer: opts.consumer }),
      );
      const scope = opts.client ? ` of client ${opts.client}` : opts.consumer ? ` of consumer ${opts.consumer}` : '';
      print(opts.json, { username, client: opts.client ?? null, consumer: opts.consumer ?? null, changed }, () => [
        `grants of ${username}${scope} revoked (${changed} rows changed)`,
      ]);
    });
  user
    .command('enable <username>')
    .description('enable a disabled user (what disabling revoked stays revoked)')
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      await withAudit(globals().config, { operation: 'enableUser', targetKind: 'user', target: username }, (ctx) => setUserEnabled(ctx, username, true));
      print(opts.json, { username, enabled: true }, () => [`user ${username} enabled`]);
    });
  user
    .command('delete <username>')
    .description("delete a user: the user's tokens, sessions, consents and browser sign-ins end on every node first")
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      await withAudit(globals().config, { operation: 'deleteUser', targetKind: 'user', target: username }, (ctx) => deleteUser(ctx, username));
      print(opts.json, { username, deleted: true }, () => [`user ${username} deleted`]);
    });
}
