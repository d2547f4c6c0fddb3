import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { createDataSource, openStore } from '../../src/storage';
import { POSTGRES_URL, withPostgresSchema } from '../helpers/postgres';
import { storageContract } from './storage.contract';

storageContract({
  kind: 'postgres',
  async create() {
    const pg = await withPostgresSchema();
    return { options: { databaseUrl: pg.url, dataDir: os.tmpdir(), schema: pg.schema }, dispose: pg.drop };
  },
});

describe('PostgreSQL specifics', () => {
  test('a schema that does not exist yet is created, and every table lives in it', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const store = await openStore({ databaseUrl: POSTGRES_URL, dataDir: os.tmpdir(), schema });
    const ds = createDataSource({ databaseUrl: POSTGRES_URL, dataDir: os.tmpdir() });
    await ds.initialize();
    try {
      const rows: Array<{ table_name: string }> = await ds.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
      expect(rows.map((r) => r.table_name)).toEqual(
        [
          'audit_log', 'authorization_codes', 'clients', 'consents', 'consumers', 'device_codes', 'migrations',
          'oauth1_access_tokens', 'oauth1_consumer_links', 'oauth1_request_tokens', 'oauth1_sessions', 'oauth2_access_tokens',
          'oauth2_refresh_tokens', 'profiles', 'revocation_log', 'settings', 'signing_keys', 'users',
        ],
      );
    } finally {
      await store.close();
      await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await ds.destroy();
    }
  });

  test('a schema name that is not a plain lower-case identifier is refused', () => {
    expect(() => createDataSource({ databaseUrl: POSTGRES_URL, dataDir: os.tmpdir(), schema: 'x"; DROP' })).toThrow(
      /invalid schema name/,
    );
  });
});
