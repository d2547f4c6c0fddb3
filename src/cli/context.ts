import { loadConfig, type GatewayConfig } from '../config';
import { openStore } from '../storage';
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
 * Opens what an admin command needs (config, storage with migrations, the secret box, checked
 * against the stored secrets), runs it, closes.
 */
export async function withAdmin<T>(
  configFile: string | undefined,
  fn: (ctx: AdminContext, config: GatewayConfig, key: LoadedKey) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ configFile });
  const { key, generated, file } = loadOrCreateSecretKey(config.secretKey, config.dataDir);
  if (generated) process.stderr.write(`warning: generated a new secret key in ${file}; back it up\n`);
  const secrets = new SecretBox(key);
  const store = await openStore({ databaseUrl: config.database.url, dataDir: config.dataDir });
  // Redis only reaches the nodes when they share one; connected on first use (only revocations publish).
  let redis: Cache | undefined;
  const redisUrl = config.redis.url;
  const cache = redisUrl ? { publish: (channel: string, message: string) => (redis ??= createCache({ redisUrl })).publish(channel, message) } : undefined;
  try {
    await checkSecretKey(store, secrets, systemClock, keySource({ file }));
    return await fn({ store, secrets, clock: systemClock, cache }, config, { key, file });
  } finally {
    await redis?.close();
    await store.close();
  }
}
