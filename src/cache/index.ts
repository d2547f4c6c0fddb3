import type { Clock } from '../clock';
import type { Cache } from './types';
import { MemoryCache } from './memory';
import { RedisCache } from './redis';

export interface CreateCacheOptions {
  /** Redis when set; otherwise the in-process cache, which is right only for a single node. */
  redisUrl?: string | null;
  keyPrefix?: string;
  /** Drives the memory cache's expiry; Redis keeps its own time. */
  clock?: Clock;
  /** The memory cache's bound (Redis has its own maxmemory). */
  memoryMaxBytes?: number;
}

export function createCache(options: CreateCacheOptions): Cache {
  if (options.redisUrl) return new RedisCache({ url: options.redisUrl, keyPrefix: options.keyPrefix });
  return new MemoryCache({ clock: options.clock, maxBytes: options.memoryMaxBytes });
}

export { CacheUnavailableError, type Cache, type GuessCounter, type SubscriptionEvents } from './types';
export { MemoryCache, DEFAULT_MEMORY_MAX_BYTES, type MemoryCacheOptions } from './memory';
export { RedisCache, DEFAULT_KEY_PREFIX, type RedisCacheOptions } from './redis';
