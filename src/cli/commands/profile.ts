import type { Command } from 'commander';
import { addProfile } from '../../accounts/admin';
import { withAdmin } from '../context';
import { withAudit } from '../audited';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';

export function registerProfile(program: Command, globals: () => GlobalOptions): void {
  const profile = program.command('profile').description('operator profiles: named sets of privileges (ClearPass)');
  profile
    .command('add')
    .description('create a profile')
    .requiredOption('--name <name>', 'profile name')
    .option('--privileges <list>', 'comma-separated privileges', '')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const created = await withAudit(globals().config, { operation: 'createProfile', targetKind: 'profile', target: String(opts.name) }, (ctx) => addProfile(ctx, opts));
      print(opts.json, { id: created.id, name: created.name, privileges: created.privileges }, () => [
        `profile ${created.name} created with ${created.privileges.length} privilege(s)`,
      ]);
    });
  profile
    .command('list')
    .description('list profiles')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const profiles = await withAdmin(globals().config, (ctx) => ctx.store.profiles.list());
      const rows = profiles.map((p) => ({ id: p.id, name: p.name, privileges: p.privileges }));
      print(opts.json, rows, () => table(['NAME', 'PRIVILEGES'], rows.map((p) => [p.name, p.privileges.join(',')])));
    });
}
