import os from 'node:os';

/** `server.workers` as configured: a count, or `auto` for one per CPU the process may use. */
export type WorkersSetting = number | 'auto';

/** How many worker processes `serve` runs. */
export function workerCount(setting: WorkersSetting, cpus: number = os.availableParallelism()): number {
  return setting === 'auto' ? Math.max(1, cpus) : setting;
}
