import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { serve } from '../../serve';
import type { GlobalOptions } from '../program';

export function registerServe(program: Command, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description('run the gateway')
    .option('--port <port>', 'listen port (overrides config and GATEWAY_PORT)')
    .option('--host <host>', 'listen address (overrides config and GATEWAY_HOST)')
    .option('--workers <n>', 'worker processes sharing the port, or "auto" for one per CPU (overrides server.workers and GATEWAY_WORKERS)')
    .option('--no-demo', 'no demo backend and no demo accounts')
    .option('--json', 'print the start-up summary as JSON')
    .action(async (opts) => {
      const server: Record<string, unknown> = {};
      if (opts.port !== undefined) server.port = /^\d+$/.test(opts.port) ? Number(opts.port) : opts.port;
      if (opts.host !== undefined) server.host = opts.host;
      if (opts.workers !== undefined) server.workers = /^\d+$/.test(opts.workers) ? Number(opts.workers) : opts.workers;
      const overrides: Record<string, unknown> = { server };
      if (opts.demo === false) overrides.demo = false;
      const config = loadConfig({ configFile: globals().config, overrides });
      await serve(config, { json: Boolean(opts.json) });
    });
}
