// The entry point of a worker process (cluster.setupPrimary exec): not the CLI, the primary already
// parsed the command line and validated the configuration.
import 'reflect-metadata';
import { runWorker } from './worker';

runWorker().then(
  (code) => {
    process.exitCode = code;
    // The IPC channel would keep the process alive after the drain.
    if (process.connected) process.disconnect();
  },
  (err) => {
    process.stderr.write(`oauth-gateway: worker ${process.pid}: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
