import { loadConfig, type GatewayConfig } from '../config';
import { openStore } from '../storage';
import { SecretBox, loadOrCreateSecretKey } from '../crypto';
import { systemClock } from '../clock';
import type { AdminContext } from '../accounts/admin';

/** Opens what an admin command needs (config, storage with migrations, the secret box), runs it, closes. */
export async function withAdmin<T>(configFile: string | undefined, fn: (ctx: AdminContext, config: GatewayConfig) => Promise<T>): Promise<T> {
  const config = loadConfig({ configFile });
  const { key, generated, file } = loadOrCreateSecretKey(config.secretKey, config.dataDir);
  if (generated) process.stderr.write(`warning: generated a new secret key in ${file}; back it up\n`);
  const store = await openStore({ databaseUrl: config.database.url, dataDir: config.dataDir });
  try {
    return await fn({ store, secrets: new SecretBox(key), clock: systemClock }, config);
  } finally {
    await store.close();
  }
}
