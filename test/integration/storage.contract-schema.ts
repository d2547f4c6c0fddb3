import { createDataSource, destroyDataSource, openStore, runMigrations } from '../../src/storage';
import type { StoreTarget } from './storage.contract-fixtures';
import { Initial1795300000000 } from '../../src/storage/migrations/1795300000000-initial';
import { ConsumerCallbackMatch1795420000000 } from '../../src/storage/migrations/1795420000000-consumer-callback-match';
import { ConsumerSigning1796100000000 } from '../../src/storage/migrations/1796100000000-consumer-signing';
import { UserSource1796200000000 } from '../../src/storage/migrations/1796200000000-user-source';
import { AdminApi1796600000000 } from '../../src/storage/migrations/1796600000000-admin-api';
import { AuditSource1796700000000 } from '../../src/storage/migrations/1796700000000-audit-source';

const allMigrations = [
  'Initial1795300000000',
  'Settings1795400000000',
  'RevocationLog1795410000000',
  'ConsumerCallbackMatch1795420000000',
  'ConsumerSigning1796100000000',
  'UserSource1796200000000',
  'ConsumerLinks1796300000000',
  'OpenIdConnect1796400000000',
  'ClientRequirePar1796500000000',
  'AdminApi1796600000000',
  'AuditSource1796700000000',
  'ConsumerPreviousSecret1796710000000',
];

export function schemaContract(target: StoreTarget): void {
  let db: Awaited<ReturnType<StoreTarget['create']>>;
  beforeEach(async () => {
    db = await target.create();
  });
  afterEach(async () => {
    await db.dispose();
  });

  async function withDataSource<T>(fn: (ds: ReturnType<typeof createDataSource>) => Promise<T>): Promise<T> {
    const ds = createDataSource(db.options);
    await ds.initialize();
    try {
      return await fn(ds);
    } finally {
      await destroyDataSource(ds);
    }
  }

  test('migrations apply every migration to an empty database, in order, and nothing the second time', async () => {
    await withDataSource(async (ds) => {
      expect(await runMigrations(ds)).toEqual(allMigrations);
      expect(await runMigrations(ds)).toEqual([]);
    });
  });

  test('after migrations the schema is exactly what the entities declare (empty schema diff)', async () => {
    await withDataSource(async (ds) => {
      await runMigrations(ds);
      const diff = await ds.driver.createSchemaBuilder().log();
      expect(diff.upQueries.map((q) => q.query)).toEqual([]);
    });
  });

  test('the consumer-signing migration keeps existing consumers: no RSA key, the gateway\'s methods, no requestor', async () => {
    await withDataSource(async (ds) => {
      const runner = ds.createQueryRunner();
      try {
        await new Initial1795300000000().up(runner);
        await new ConsumerCallbackMatch1795420000000().up(runner);
        await runner.query(
          `INSERT INTO consumers ("key", "name", "secretEnc", "callbackUrl", "xauth", "profileId", "accessTtl", "enabled", "createdAt")
           VALUES ('ck-old', 'Old consumer', 'sealed', NULL, FALSE, NULL, NULL, TRUE, 1)`,
        );
        await new ConsumerSigning1796100000000().up(runner);
        const rows = await runner.query(`SELECT "key", "rsaPublicKey", "signatureMethods", "requestor" FROM consumers`);
        expect(rows.map((r: Record<string, unknown>) => ({ ...r, requestor: Boolean(r.requestor) }))).toEqual([
          { key: 'ck-old', rsaPublicKey: null, signatureMethods: null, requestor: false },
        ]);
        await new ConsumerSigning1796100000000().down(runner);
        expect((await runner.query(`SELECT "key" FROM consumers`)).length).toBe(1);
      } finally {
        await runner.release();
      }
    });
  });

  test('the callback-match migration keeps existing consumers and gives them prefix matching', async () => {
    await withDataSource(async (ds) => {
      const runner = ds.createQueryRunner();
      try {
        await new Initial1795300000000().up(runner);
        await runner.query(
          `INSERT INTO consumers ("key", "name", "secretEnc", "callbackUrl", "xauth", "profileId", "accessTtl", "enabled", "createdAt")
           VALUES ('ck-old', 'Old consumer', 'sealed', 'https://c.example/cb', TRUE, NULL, 600, TRUE, 1)`,
        );
        await new ConsumerCallbackMatch1795420000000().up(runner);
        const rows = await runner.query(`SELECT "key", "name", "callbackUrl", "callbackMatch", "accessTtl" FROM consumers`);
        expect(rows).toEqual([{ key: 'ck-old', name: 'Old consumer', callbackUrl: 'https://c.example/cb', callbackMatch: 'prefix', accessTtl: 600 }]);
        await new ConsumerCallbackMatch1795420000000().down(runner);
        expect((await runner.query(`SELECT "key", "callbackUrl" FROM consumers`)).length).toBe(1);
      } finally {
        await runner.release();
      }
    });
  });

  test('the user-source migration keeps existing users as local users, without display name or email', async () => {
    await withDataSource(async (ds) => {
      const runner = ds.createQueryRunner();
      try {
        await new Initial1795300000000().up(runner);
        await runner.query(
          `INSERT INTO users ("id", "username", "usernameKey", "passwordHash", "profileId", "enabled", "createdAt")
           VALUES ('u-old', 'Old', 'old', 'scrypt$hash', NULL, TRUE, 1)`,
        );
        await new UserSource1796200000000().up(runner);
        const rows = await runner.query(`SELECT "id", "passwordHash", "source", "displayName", "email" FROM users`);
        expect(rows).toEqual([{ id: 'u-old', passwordHash: 'scrypt$hash', source: 'local', displayName: null, email: null }]);
        await new UserSource1796200000000().down(runner);
        expect((await runner.query(`SELECT "id" FROM users`)).length).toBe(1);
      } finally {
        await runner.release();
      }
    });
  });

  test('the audit-source migration names entries written before it: api with a token client, console without', async () => {
    await withDataSource(async (ds) => {
      const runner = ds.createQueryRunner();
      try {
        await new Initial1795300000000().up(runner);
        await new AdminApi1796600000000().up(runner);
        await runner.query(
          `INSERT INTO audit_log ("at", "actor", "actorClient", "operation", "targetKind", "target", "address", "outcome")
           VALUES (1, 'root', 'admin-cli', 'disableUser', 'user', 'a', '127.0.0.1', 'success'), (2, 'root', NULL, 'disableUser', 'user', 'b', '127.0.0.1', 'success')`,
        );
        await new AuditSource1796700000000().up(runner);
        const rows = await runner.query(`SELECT "seq", "source" FROM audit_log ORDER BY "seq"`);
        expect(rows.map((r: { seq: number | string; source: string }) => [Number(r.seq), r.source])).toEqual([
          [1, 'api'],
          [2, 'console'],
        ]);
      } finally {
        await runner.release();
      }
    });
  });

  test('two processes migrating the same empty database at once apply each migration once', async () => {
    await withDataSource((a) =>
      withDataSource(async (b) => {
        const [fromA, fromB] = await Promise.all([runMigrations(a), runMigrations(b)]);
        expect([...fromA, ...fromB]).toEqual(allMigrations);
      }),
    );
  });

  test('a store answers ping while open and not after close', async () => {
    const store = await openStore(db.options);
    expect(await store.ping()).toBe(true);
    await store.close();
    expect(await store.ping()).toBe(false);
  });
}
