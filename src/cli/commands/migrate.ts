import type { Command } from 'commander';
import { withStore } from '../context';
import { print } from '../output';
import type { GlobalOptions } from '../program';

// Opened like every other command (withStore), minus the secret key: a migration run as a deploy
// step, before any node has started, must not generate a key and seal the database's key check
// with it, which would lock out the nodes that bring the real GATEWAY_SECRET_KEY.
export function registerMigrate(program: Command, globals: () => GlobalOptions): void {
  program
    .command('migrate')
    .description('apply database migrations (serve also does this at start)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const applied = await withStore(globals().config, async (_store, _config, applied) => applied);
      print(opts.json, { applied }, () => (applied.length ? applied.map((m) => `applied ${m}`) : ['database is up to date']));
    });
}
