import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { routeViews } from '../../routes-view';
import { print, table } from '../output';
import type { GlobalOptions } from '../program';

export function registerRoutes(program: Command, globals: () => GlobalOptions): void {
  const routes = program.command('routes').description('the route table (from the configuration)');
  routes
    .command('list')
    .description('list the routes as the gateway matches them, longest prefix first (no database needed)')
    .option('--json', 'JSON output')
    .action(async (opts) => {
      const rows = routeViews(loadConfig({ configFile: globals().config }));
      print(opts.json, rows, () =>
        table(
          ['PREFIX', 'UPSTREAM', 'ACCEPT', 'PRIVILEGES', 'SCOPES', 'WRITE UPSTREAM'],
          rows.map((r) => [r.prefix, r.upstream, r.accept.join(','), r.privileges.join(',') || '-', r.scopes.join(' ') || '-', r.writeUpstream ?? '-']),
        ),
      );
    });
}
