import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { startGateway } from '../src/runtime';

// The gateway under test, in its own process so its memory can be read from /proc. Production
// mode: no demo, the config given on the command line (SQLite data dir, Redis when available),
// logs at the configured level to stdout (which the benchmark discards).
async function main(): Promise<void> {
  const overrides = JSON.parse(process.argv[2]) as Record<string, unknown>;
  const config = loadConfig({ env: {}, overrides });
  const gateway = await startGateway(config, { defaultMetrics: true });
  process.send?.({ ready: true, url: gateway.url });
  process.once('SIGTERM', () => {
    gateway.shutdown().then(() => process.exit(0));
  });
}

main().catch((err) => {
  process.stderr.write(`gateway child failed: ${(err as Error).message}\n`);
  process.exit(1);
});
