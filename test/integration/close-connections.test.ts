import { RedisCache } from '../../src/cache';
import { openStore } from '../../src/storage';
import { withPostgresSchema, type PostgresSchema } from '../helpers/postgres';
import { REDIS_URL, randomKeyPrefix } from '../helpers/redis';
import { tempDataDir, type TempDir } from '../helpers/sqlite';

// Closing the store (PostgreSQL) and the Redis cache returns only once their sockets are closed:
// node-postgres' pool.end() answers when each client has sent its Terminate and ioredis' QUIT when
// the server said OK, the sockets closing a moment later. A process that goes on (a jest worker
// exiting: "A worker process has failed to exit gracefully") found them still open.

const openSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

let schema: PostgresSchema;
let temp: TempDir;

beforeAll(async () => {
  schema = await withPostgresSchema();
  temp = tempDataDir('close');
});

afterAll(async () => {
  await schema?.drop();
  temp?.remove();
});

test('a PostgreSQL store, once closed, has no socket left open', async () => {
  const before = openSockets();
  const store = await openStore({ databaseUrl: schema.url, dataDir: temp.dir, schema: schema.schema });
  // Several at once, so the pool opens several connections.
  await Promise.all(['a', 'b', 'c', 'd'].map((name) => store.users.findByUsername(name)));
  expect(openSockets()).toBeGreaterThan(before);
  await store.close();
  expect(openSockets()).toBe(before);
});

test('a Redis cache, once closed, has no socket left open (its subscriber connection included)', async () => {
  const before = openSockets();
  const cache = new RedisCache({ url: REDIS_URL, keyPrefix: randomKeyPrefix('close') });
  await cache.set('k', 'v', 5);
  await cache.subscribe('events', () => undefined);
  expect(openSockets()).toBe(before + 2);
  await cache.close();
  expect(openSockets()).toBe(before);
});
