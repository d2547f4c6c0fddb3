import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { CacheUnavailableError, type Cache } from '../../src/cache/types';
import { DEFAULT_KEY_PREFIX, RedisCache } from '../../src/cache/redis';
import {
  REDIS_URL,
  deleteKeysWithPrefix,
  eventually,
  freePort,
  keysWithPrefix,
  quitRedis,
  randomKeyPrefix,
  throwawayRedis,
  type ThrowawayRedis,
} from '../helpers/redis';
import { cacheContract, inbox } from './cache.contract';

/** Every command of the contract, each on a key of its own. */
function everyCommand(cache: Cache): Array<[string, () => Promise<unknown>]> {
  return [
    ['setIfAbsent', () => cache.setIfAbsent('outage:nonce', 'v', 60)],
    ['get', () => cache.get('outage:get')],
    ['set', () => cache.set('outage:set', 'v', 60)],
    ['delete', () => cache.delete('outage:delete')],
    ['increment', () => cache.increment('outage:counter', 60)],
    ['countAttempt', () => cache.countAttempt([{ key: 'outage:guesses', limit: 5 }], 60)],
    ['decrement', () => cache.decrement('outage:guesses')],
    ['ttl', () => cache.ttl('outage:ttl')],
    ['publish', () => cache.publish('outage:channel', 'm')],
    ['subscribe', () => cache.subscribe('outage:channel', () => {})],
  ];
}

/** Runs every command and names those that did not reject with CacheUnavailableError. */
async function commandsNotUnavailable(cache: Cache): Promise<string[]> {
  const wrong: string[] = [];
  for (const [name, run] of everyCommand(cache)) {
    try {
      await run();
      wrong.push(`${name}: resolved`);
    } catch (err) {
      if (!(err instanceof CacheUnavailableError)) wrong.push(`${name}: ${(err as Error)?.name}`);
    }
  }
  return wrong;
}

describe('RedisCache: the cache contract', () => {
  const prefix = randomKeyPrefix('cache-contract');
  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
  });
  cacheContract({
    create: () => new RedisCache({ url: REDIS_URL, keyPrefix: prefix }),
    // Redis keeps its own time: wait for the TTL, polling, at most two seconds past it.
    afterExpiry: (seconds, read, done) => eventually(read, done, seconds * 1000 + 2000),
  });
});

describe('RedisCache: keys, channels and instances', () => {
  const prefix = randomKeyPrefix('cache-redis');
  let cache: RedisCache;
  let raw: Redis;
  beforeAll(() => {
    cache = new RedisCache({ url: REDIS_URL, keyPrefix: prefix });
    raw = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await cache.close();
    await deleteKeysWithPrefix(prefix);
    await quitRedis(raw);
  });

  test('keys are stored under the key prefix', async () => {
    // A prefix of its own: the other tests of this block write under theirs.
    const own = randomKeyPrefix('cache-keys');
    const keyed = new RedisCache({ url: REDIS_URL, keyPrefix: own });
    try {
      await keyed.set('stored', 'v', 60);
      await keyed.setIfAbsent('nonce', 'v', 60);
      await keyed.increment('counter', 60);
      expect(await keysWithPrefix(own)).toEqual([`${own}counter`, `${own}nonce`, `${own}stored`]);
    } finally {
      await keyed.close();
      await deleteKeysWithPrefix(own);
    }
  });

  test('without a key prefix the default one is used', async () => {
    const plain = new RedisCache({ url: REDIS_URL });
    const key = `test-default-prefix:${randomBytes(6).toString('hex')}`;
    try {
      await plain.set(key, 'v', 60);
      expect(await raw.get(`${DEFAULT_KEY_PREFIX}${key}`)).toBe('v');
    } finally {
      await raw.del(`${DEFAULT_KEY_PREFIX}${key}`);
      await plain.close();
    }
  });

  test('a fractional TTL is kept to the millisecond in Redis', async () => {
    await cache.set('fractional', 'v', 1.5);
    const pttl = await raw.pttl(`${prefix}fractional`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1500);
  });

  test('every key written through the cache carries an expiry', async () => {
    await cache.set('expiring:set', 'v', 60);
    await cache.setIfAbsent('expiring:nonce', 'v', 60);
    await cache.increment('expiring:counter', 60);
    const pttls = await Promise.all(['set', 'nonce', 'counter'].map((k) => raw.pttl(`${prefix}expiring:${k}`)));
    expect(pttls.every((ms) => ms > 0 && ms <= 60_000)).toBe(true);
  });

  test('a counter that lost its expiry gets one again on the next increment', async () => {
    await raw.set(`${prefix}no-expiry`, '5');
    expect(await cache.increment('no-expiry', 30)).toBe(6);
    const ttl = await cache.ttl('no-expiry');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  test('ttl of a key without expiry is infinite', async () => {
    await raw.set(`${prefix}forever`, 'v');
    expect(await cache.ttl('forever')).toBe(Number.POSITIVE_INFINITY);
  });

  test('subscribers hear messages published on the prefixed channel only', async () => {
    const box = inbox();
    const off = await cache.subscribe('events', box.handler);
    await raw.publish('events', 'unprefixed');
    await raw.publish(`${prefix}events`, 'prefixed');
    await box.received('prefixed');
    expect(box.messages).toEqual(['prefixed']);
    await off();
  });

  test('publish sends on the prefixed channel', async () => {
    const listener = new Redis(REDIS_URL);
    try {
      const received = new Promise<[string, string]>((resolve) => listener.once('message', (ch: string, m: string) => resolve([ch, m])));
      await listener.subscribe(`${prefix}outbound`);
      await cache.publish('outbound', 'hello');
      expect(await received).toEqual([`${prefix}outbound`, 'hello']);
    } finally {
      await quitRedis(listener);
    }
  });

  test('exactly one of 20 concurrent setIfAbsent calls wins across two gateway nodes', async () => {
    const other = new RedisCache({ url: REDIS_URL, keyPrefix: prefix });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : cache).setIfAbsent('shared-nonce', `node-${i % 2}`, 60)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  test('increments from two nodes share one count', async () => {
    const other = new RedisCache({ url: REDIS_URL, keyPrefix: prefix });
    try {
      const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : cache).increment('shared-counter', 60)));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await other.close();
    }
  });

  test('a message published on one node reaches a subscriber on another', async () => {
    const other = new RedisCache({ url: REDIS_URL, keyPrefix: prefix });
    try {
      const box = inbox();
      const off = await other.subscribe('revocations', box.handler);
      await cache.publish('revocations', 'digest-1');
      await box.received('digest-1');
      expect(box.messages).toEqual(['digest-1']);
      await off();
    } finally {
      await other.close();
    }
  });

  test('a cache used right after construction waits for its first connection', async () => {
    const fresh = new RedisCache({ url: REDIS_URL, keyPrefix: prefix });
    try {
      await expect(fresh.set('first-use', 'v', 60)).resolves.toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});

describe('RedisCache: Redis unreachable', () => {
  let cache: RedisCache;
  beforeAll(async () => {
    // A port the OS just handed out and took back: nothing listens there.
    cache = new RedisCache({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: randomKeyPrefix('cache-down') });
  });
  afterAll(async () => {
    await cache.close();
  });

  test('every command rejects with CacheUnavailableError', async () => {
    expect(await commandsNotUnavailable(cache)).toEqual([]);
  }, 15_000);

  test('commands keep rejecting with CacheUnavailableError while it reconnects', async () => {
    await commandsNotUnavailable(cache);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await commandsNotUnavailable(cache)).toEqual([]);
  }, 15_000);

  test('ping answers false', async () => {
    expect(await cache.ping()).toBe(false);
  }, 15_000);

  test('close resolves', async () => {
    const other = new RedisCache({ url: `redis://127.0.0.1:${await freePort()}` });
    await other.subscribe('c', () => {}).catch(() => undefined);
    await expect(other.close()).resolves.toBeUndefined();
  }, 15_000);
});

/** How many times the server ran each command, from INFO commandstats (a private server: nothing else talks to it). */
async function commandCalls(raw: Redis): Promise<Record<string, number>> {
  const info = await raw.info('commandstats');
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) calls[match[1]] = Number(match[2]);
  return calls;
}

describe('RedisCache: setIfAbsent claims of one turn travel together', () => {
  let server: ThrowawayRedis;
  let cache: RedisCache;
  let raw: Redis;
  beforeAll(async () => {
    server = await throwawayRedis();
    raw = new Redis(server.url);
  });
  beforeEach(async () => {
    cache = new RedisCache({ url: server.url, keyPrefix: 'claims:' });
    await cache.ping();
    await raw.config('RESETSTAT');
  });
  afterEach(async () => {
    await cache.close();
  });
  afterAll(async () => {
    await quitRedis(raw);
    await server.dispose();
  });

  test('fifty claims made in one turn reach Redis as one command, each answered on its own', async () => {
    await cache.setIfAbsent('taken', 'earlier', 60);
    await raw.config('RESETSTAT');
    const keys = Array.from({ length: 50 }, (_, i) => (i === 7 ? 'taken' : `fresh-${i}`));
    const results = await Promise.all(keys.map((key) => cache.setIfAbsent(key, 'v', 60)));
    expect(results.filter((created) => !created)).toHaveLength(1);
    expect(results[7]).toBe(false);
    const calls = await commandCalls(raw);
    expect(calls.evalsha).toBe(1);
    expect(calls.set).toBe(50);
    expect(await raw.get('claims:taken')).toBe('earlier');
  });

  test('each claim of a batch keeps its own value and TTL; a key named twice is won by its first claim', async () => {
    const [a, b, again] = await Promise.all([
      cache.setIfAbsent('short', 'one', 5),
      cache.setIfAbsent('long', 'two', 600),
      cache.setIfAbsent('short', 'three', 600),
    ]);
    expect([a, b, again]).toEqual([true, true, false]);
    expect(await raw.get('claims:short')).toBe('one');
    expect(await raw.get('claims:long')).toBe('two');
    const shortTtl = await raw.pttl('claims:short');
    const longTtl = await raw.pttl('claims:long');
    expect(shortTtl).toBeGreaterThan(0);
    expect(shortTtl).toBeLessThanOrEqual(5000);
    expect(longTtl).toBeGreaterThan(5000);
    expect(longTtl).toBeLessThanOrEqual(600_000);
  });

  test('more claims than one command carries are split and all answered', async () => {
    const results = await Promise.all(Array.from({ length: 600 }, (_, i) => cache.setIfAbsent(`many-${i}`, 'v', 60)));
    expect(results.every(Boolean)).toBe(true);
    expect((await commandCalls(raw)).evalsha).toBe(3);
  });

  test('after the server forgets its scripts (SCRIPT FLUSH) claims still work', async () => {
    expect(await cache.setIfAbsent('before-flush', 'v', 60)).toBe(true);
    await raw.script('FLUSH');
    expect(await cache.setIfAbsent('after-flush', 'v', 60)).toBe(true);
    expect(await cache.setIfAbsent('after-flush', 'v', 60)).toBe(false);
  });

  test('a claim made after close rejects with CacheUnavailableError', async () => {
    await cache.close();
    await expect(cache.setIfAbsent('late', 'v', 60)).rejects.toBeInstanceOf(CacheUnavailableError);
  });
});

describe('RedisCache: a real outage of a private redis-server', () => {
  let server: ThrowawayRedis;
  let cache: RedisCache;
  beforeEach(async () => {
    server = await throwawayRedis();
    cache = new RedisCache({ url: server.url, keyPrefix: 'outage:' });
    await cache.set('before', 'v', 60);
  });
  afterEach(async () => {
    server.thaw();
    await cache.close();
    await server.dispose();
  });

  test('once the server is killed every command rejects with CacheUnavailableError', async () => {
    await server.kill();
    expect(await commandsNotUnavailable(cache)).toEqual([]);
  }, 20_000);

  test('once the server is killed ping answers false', async () => {
    await server.kill();
    expect(await cache.ping()).toBe(false);
  }, 20_000);

  test('a frozen server makes commands time out with CacheUnavailableError', async () => {
    server.freeze();
    await expect(cache.get('before')).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.setIfAbsent('nonce', 'v', 60)).rejects.toBeInstanceOf(CacheUnavailableError);
    expect(await cache.ping()).toBe(false);
  }, 20_000);

  test('the cache answers again once a frozen server thaws', async () => {
    server.freeze();
    await expect(cache.get('before')).rejects.toBeInstanceOf(CacheUnavailableError);
    server.thaw();
    expect(await eventually(() => cache.ping(), (ok) => ok, 10_000)).toBe(true);
    expect(await cache.get('before')).toBe('v');
  }, 20_000);

  test('close resolves while the server is frozen', async () => {
    server.freeze();
    await expect(cache.close()).resolves.toBeUndefined();
  }, 20_000);

  test('close resolves after the server is killed', async () => {
    await server.kill();
    await expect(cache.close()).resolves.toBeUndefined();
  }, 20_000);

  test('the cache reconnects by itself when the server comes back', async () => {
    await server.kill();
    await expect(cache.get('before')).rejects.toBeInstanceOf(CacheUnavailableError);
    await server.start();
    expect(await eventually(() => cache.ping(), (ok) => ok, 15_000)).toBe(true);
    // A fresh server: nothing persisted, script cache empty (increment must reload its script).
    expect(await cache.setIfAbsent('nonce', 'v', 60)).toBe(true);
    expect(await cache.increment('counter', 60)).toBe(1);
    expect(await cache.increment('counter', 60)).toBe(2);
  }, 30_000);

  test('a subscription delivers again after the server comes back', async () => {
    const box = inbox();
    await cache.subscribe('events', box.handler);
    await cache.publish('events', 'before');
    await box.received('before');
    await server.kill();
    await server.start();
    // Messages published while the subscriber is still reconnecting are lost (Redis pub/sub):
    // publish until one arrives.
    let n = 0;
    const delivered = await eventually(
      async () => {
        await cache.publish('events', `after-${++n}`).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return box.messages.some((m) => m.startsWith('after-'));
      },
      (ok) => ok,
      15_000,
      100,
    );
    expect(delivered).toBe(true);
  }, 30_000);
});
