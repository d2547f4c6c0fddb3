import { Redis } from 'ioredis';
import { manualClock } from '../../src/clock';
import { createCache, MemoryCache, RedisCache } from '../../src/cache';
import { REDIS_URL, deleteKeysWithPrefix, quitRedis, randomKeyPrefix } from '../helpers/redis';

describe('createCache', () => {
  test('without a Redis URL it makes the memory cache', async () => {
    const cache = createCache({ redisUrl: null });
    try {
      expect(cache).toBeInstanceOf(MemoryCache);
      expect(cache.kind).toBe('memory');
    } finally {
      await cache.close();
    }
  });

  test('an empty Redis URL also means the memory cache', async () => {
    const cache = createCache({ redisUrl: '' });
    try {
      expect(cache.kind).toBe('memory');
    } finally {
      await cache.close();
    }
  });

  test('the memory cache runs on the clock it is given', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const cache = createCache({ clock });
    try {
      await cache.set('k', 'v', 5);
      clock.advance(5_000);
      expect(await cache.get('k')).toBeNull();
    } finally {
      await cache.close();
    }
  });

  test('with a Redis URL it makes a Redis cache that writes under the key prefix', async () => {
    const prefix = randomKeyPrefix('cache-factory');
    const cache = createCache({ redisUrl: REDIS_URL, keyPrefix: prefix });
    const raw = new Redis(REDIS_URL);
    try {
      expect(cache).toBeInstanceOf(RedisCache);
      expect(cache.kind).toBe('redis');
      await cache.set('k', 'v', 60);
      expect(await raw.get(`${prefix}k`)).toBe('v');
    } finally {
      await cache.close();
      await quitRedis(raw);
      await deleteKeysWithPrefix(prefix);
    }
  });
});
