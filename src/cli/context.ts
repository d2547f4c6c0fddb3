import { loadConfig, type GatewayConfig } from '../config';
import { openStoreMigrating, type Store } from '../storage';
import { createCache, type Cache } from '../cache';
import { SecretBox, checkSecretKey, keySource, loadOrCreateSecretKey } from '../crypto';
import { systemClock } from '../clock';
import type { AdminContext } from '../accounts/admin';

/** The secret key an admin command runs with, and where it came from (rotation replaces it). */
export interface LoadedKey {
  key: Buffer;
  /** The key file in the data dir, when the key is not configured. */
  file?: string;
}

/**
 * How every command opens the database: the configuration (validated whole, the route table
 * included, exactly as `serve` loads it), then the store with its migrations applied, closed after.
 * `applied` names the migrations this opening ran.
 */
export async function withStore<T>(
  configFile: string | undefined,
  fn: (store: Store, config: GatewayConfig, applied: string[]) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ configFile });
  const { store, applied } = await openStoreMigrating({ databaseUrl: config.database.url, dataDir: config.dataDir, timeouts: config.database });
  try {
    return await fn(store, config, applied);
  } finally {
    await store.close();
  }
}

/**
 * What an admin command needs: the store (withStore), the secret box, checked against the stored
 * secrets (a first command generates the key and seals the check value with it), and a way to
 * wake the running nodes after a revocation.
 */
export async function withAdmin<T>(
  configFile: string | undefined,
  fn: (ctx: AdminContext, config: GatewayConfig, key: LoadedKey) => Promise<T>,
): Promise<T> {
  return withStore(configFile, async (store, config) => {
    const { key, generated, file } = loadOrCreateSecretKey(config.secretKey, config.dataDir);
    if (generated) process.stderr.write(`warning: generated a new secret key in ${file}; back it up\n`);
    const secrets = new SecretBox(key);
    // Redis only reaches the nodes when they share one; connected on first use (only revocations publish).
    let redis: Cache | undefined;
    const redisUrl = config.redis.url;
    const cache = redisUrl ? { publish: (channel: string, message: string) => (redis ??= createCache({ redisUrl })).publish(channel, message) } : undefined;
    try {
      await checkSecretKey(store, secrets, systemClock, keySource({ file }));
      return await fn({ store, secrets, clock: systemClock, cache }, config, { key, file });
    } finally {
      await redis?.close();
    }
  });
}
