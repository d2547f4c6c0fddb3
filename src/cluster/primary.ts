import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig } from '../config';
import type { Logger } from '../http/logger';
import { openStore } from '../storage';
import type { Store } from '../storage/types';
import { SecretBox, checkSecretKey, keySource, loadOrCreateSecretKey } from '../crypto';
import { systemClock } from '../clock';
import { Supervisor } from './supervisor';

/** Worker processes still running this long after the drain deadline are killed. */
const killAfterDeadlineMs = 5000;

export interface WorkersRunning {
  url: string;
  /** The admin listener the workers share (admin.listen), or null. */
  adminUrl: string | null;
  database: Store['kind'];
  /** Runs fn with an open store and the secret box (the demo seeds through it), then closes the store. */
  withStore<T>(fn: (ctx: { store: Store; secrets: SecretBox }) => Promise<T>): Promise<T>;
  /** Rejects if the workers keep failing to start (after a crash, say). */
  failed: Promise<never>;
  /** Drains every worker; resolves with their exit codes. */
  stop(): Promise<number[]>;
}

/**
 * The primary of `serve --workers N`. Before any worker starts it does, once, what every worker would
 * otherwise race to do: generate the secret key file, run the migrations (one process on SQLite, not
 * N queued on the write lock) and check the key against the stored secrets, so a bad key stops the
 * start with its one line. Then it forks the workers, which share the listen port (node:cluster).
 */
export async function startWorkers(config: GatewayConfig, count: number, logger: Logger): Promise<WorkersRunning> {
  const key = loadOrCreateSecretKey(config.secretKey, config.dataDir);
  if (key.generated) {
    logger.warn({ file: key.file }, 'no GATEWAY_SECRET_KEY configured: generated a new secret key in the data dir (mode 0600); back it up, and set the same key on every node');
  }
  const secrets = new SecretBox(key.key);
  const open = () => openStore({ databaseUrl: config.database.url, dataDir: config.dataDir });
  const withStore = async <T>(fn: (ctx: { store: Store; secrets: SecretBox }) => Promise<T>): Promise<T> => {
    const store = await open();
    try {
      return await fn({ store, secrets });
    } finally {
      await store.close();
    }
  };
  const database = await withStore(async ({ store }) => {
    await checkSecretKey(store, secrets, systemClock, keySource({ file: key.file }));
    return store.kind;
  });

  // Workers run their own entry point: the command line was parsed and the configuration validated here.
  const exec = path.join(__dirname, 'worker-main.js');
  // Run from the TypeScript sources (a test calling serve in-process) there is no such file.
  if (!fs.existsSync(exec)) throw new Error(`several workers run the compiled code: ${exec} is missing (npm run build)`);
  cluster.setupPrimary({ exec, args: [] });
  const supervisor = new Supervisor(config, count, logger);
  let url: string;
  try {
    url = await Promise.race([supervisor.start(), supervisor.failed]);
  } catch (err) {
    await supervisor.stop(killAfterDeadlineMs);
    throw err;
  }
  logger.info({ workers: count, pids: supervisor.pids() }, 'workers listening');
  return {
    url,
    adminUrl: supervisor.adminUrl,
    database,
    withStore,
    failed: supervisor.failed,
    stop: () => supervisor.stop(config.server.shutdownTimeoutSeconds * 1000 + killAfterDeadlineMs),
  };
}
