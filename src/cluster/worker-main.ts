// The entry point of a worker process (cluster.setupPrimary exec): not the CLI, the primary already
// parsed the command line and validated the configuration.
import 'reflect-metadata';
import { runWorker } from './worker';

runWorker().then(
  // Not process.disconnect(): a worker whose channel closes exits at once with 0 (node:cluster), and
  // the primary must see the code. Log lines are written already (stdout is synchronous on pipes).
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`oauth-gateway: worker ${process.pid}: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
