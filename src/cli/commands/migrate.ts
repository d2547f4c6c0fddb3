import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { createDataSource, runMigrations } from '../../storage';
import { print } from '../output';
import type { GlobalOptions } from '../program';

export function registerMigrate(program: Command, globals: () => GlobalOptions): void {
  program
    .command('migrate')
    .description('apply database migrations (serve also does this at start)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const config = loadConfig({ configFile: globals().config });
      const ds = createDataSource({ databaseUrl: config.database.url, dataDir: config.dataDir });
      await ds.initialize();
      try {
        const applied = await runMigrations(ds);
        print(opts.json, { applied }, () => (applied.length ? applied.map((m) => `applied ${m}`) : ['database is up to date']));
      } finally {
        await ds.destroy();
      }
    });
}
