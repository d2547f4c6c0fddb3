import { addClient, addConsumer, addProfile, addUser } from '../src/accounts/admin';
import { systemClock } from '../src/clock';
import { SecretBox } from '../src/crypto';
import { openStore } from '../src/storage';

export interface BenchCredentials {
  user: { username: string; password: string };
  consumer: { key: string; secret: string };
  client: { id: string; secret: string };
}

/**
 * Writes the accounts the load needs straight into a gateway's database (SQLite file in dataDir, or
 * PostgreSQL by URL), migrating it, the way the CLI would, before the gateway process opens it: a
 * profile, a user, an xAuth consumer and a client_credentials client.
 */
export async function seedAccounts(database: { dataDir: string; databaseUrl: string | null }, secretKey: Buffer): Promise<BenchCredentials> {
  const store = await openStore(database);
  const ctx = { store, secrets: new SecretBox(secretKey), clock: systemClock };
  try {
    await addProfile(ctx, { name: 'bench', privileges: 'api_access' });
    const user = { username: 'bench-user', password: 'bench-password-1' };
    await addUser(ctx, { ...user, profile: 'bench' });
    const consumer = await addConsumer(ctx, { name: 'Bench consumer', xauth: true, profile: 'bench' });
    const client = await addClient(ctx, { id: 'bench-client', name: 'Bench client', grants: 'client_credentials', scopes: 'read', profile: 'bench' });
    return {
      user,
      consumer: { key: consumer.consumer.key, secret: consumer.secret },
      client: { id: client.client.clientId, secret: client.secret as string },
    };
  } finally {
    await store.close();
  }
}
