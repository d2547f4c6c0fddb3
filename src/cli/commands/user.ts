import type { Command } from 'commander';
import { addUser, setUserEnabled, setUserPassword } from '../../accounts/admin';
import { withAdmin } from '../context';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';
import { readStdinLine } from '../stdin';

export function registerUser(program: Command, globals: () => GlobalOptions): void {
  const user = program.command('user').description('users who log in (resource owners)');
  user
    .command('add')
    .description('create a user')
    .requiredOption('--username <username>', 'login name (unique, case-insensitive)')
    .requiredOption('--password <password>', 'password (at least 8 characters)')
    .option('--profile <name>', 'operator profile giving the privileges')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const created = await withAdmin(globals().config, async (ctx) => {
        const u = await addUser(ctx, opts);
        const profile = u.profileId ? await ctx.store.profiles.findById(u.profileId) : null;
        return { id: u.id, username: u.username, profile: profile?.name ?? null, enabled: u.enabled };
      });
      print(opts.json, created, () => [`user ${created.username} created (id ${created.id})`]);
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
        }));
      });
      print(opts.json, rows, () =>
        table(['USERNAME', 'ID', 'PROFILE', 'ENABLED'], rows.map((u) => [u.username, u.id, u.profile ?? '-', String(u.enabled)])),
      );
    });
  user
    .command('disable <username>')
    .description('disable a user: sign-ins are refused; tokens, sessions, consents and browser sign-ins end on every node')
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      await withAdmin(globals().config, (ctx) => setUserEnabled(ctx, username, false));
      print(opts.json, { username, enabled: false }, () => [`user ${username} disabled`]);
    });
  user
    .command('passwd <username>')
    .description('set a new password (from --password or one line on standard input); everything given under the old one ends')
    .option('--password <password>', 'the new password')
    .option('--json', 'JSON output')
    .action(async (username: string, opts) => {
      const password = opts.password ?? (await readStdinLine());
      await withAdmin(globals().config, (ctx) => setUserPassword(ctx, username, password));
      print(opts.json, { username, passwordChanged: true }, () => [`password of ${username} changed`]);
    });
}
