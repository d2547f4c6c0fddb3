import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { sqliteFile } from '../../storage';
import { BackupError, backupSqlite } from '../../storage/backup';
import { print } from '../output';
import type { GlobalOptions } from '../program';

// Not withStore: a backup must change nothing (no migration, no generated key), and it may run
// beside the serving nodes, so it opens the file itself and only reads.
export function registerBackup(program: Command, globals: () => GlobalOptions): void {
  program
    .command('backup')
    .description('copy the SQLite database to a new file, consistently, while the gateway serves (PostgreSQL: use pg_dump)')
    .requiredOption('--to <file>', 'the backup file to create (never overwritten)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const config = loadConfig({ configFile: globals().config });
      if (config.database.url !== null) {
        throw new BackupError('the database is PostgreSQL (database.url): back it up with pg_dump, e.g. pg_dump --format=custom --file=gateway.dump "$GATEWAY_DATABASE_URL"');
      }
      const source = sqliteFile(config.dataDir);
      const target = path.resolve(opts.to);
      const { bytes } = await backupSqlite(source, target, config.database.statementTimeoutSeconds * 1000);
      const keyNote = config.secretKey === null ? `${path.join(config.dataDir, 'secret.key')}` : 'the configured secretKey (GATEWAY_SECRET_KEY)';
      print(opts.json, { database: 'sqlite', source, file: target, bytes }, () => [
        `backed up ${source} to ${target} (${bytes} bytes)`,
        `The secret key is not in the backup: keep ${keyNote} with it, or the OAuth 1.0a secrets in it cannot be opened.`,
      ]);
    });
}
