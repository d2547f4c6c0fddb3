import { manualClock } from '../../src/clock';
import { DEFAULT_MEMORY_MAX_BYTES, ENTRY_OVERHEAD_BYTES, MemoryCache } from '../../src/cache/memory';
import { CacheUnavailableError } from '../../src/cache/types';
import { eventually } from '../helpers/redis';
import { cacheContract } from './cache.contract';

describe('MemoryCache: the cache contract', () => {
  const clock = manualClock(Date.UTC(2030, 0, 1));
  cacheContract({
    create: () => new MemoryCache({ clock }),
    async afterExpiry(seconds, read) {
      clock.advance(seconds * 1000);
      return read();
    },
  });
});

describe('MemoryCache: expiry on the injected clock', () => {
  let clock: ReturnType<typeof manualClock>;
  let cache: MemoryCache;
  beforeEach(() => {
    clock = manualClock(Date.UTC(2030, 0, 1));
    cache = new MemoryCache({ clock });
  });
  afterEach(async () => {
    await cache.close();
  });

  test('a key is still there one millisecond before its TTL ends', async () => {
    await cache.set('k', 'v', 10);
    clock.advance(9_999);
    expect(await cache.get('k')).toBe('v');
  });

  test('a key is gone exactly when its TTL ends', async () => {
    await cache.set('k', 'v', 10);
    clock.advance(10_000);
    expect(await cache.get('k')).toBeNull();
  });

  test('ttl counts down with the clock and rounds up to whole seconds', async () => {
    await cache.set('k', 'v', 10);
    expect(await cache.ttl('k')).toBe(10);
    clock.advance(2_500);
    expect(await cache.ttl('k')).toBe(8);
    clock.advance(7_400);
    expect(await cache.ttl('k')).toBe(1);
  });

  test('a fractional TTL is honoured to the millisecond', async () => {
    await cache.set('k', 'v', 1.5);
    clock.advance(1_499);
    expect(await cache.get('k')).toBe('v');
    clock.advance(1);
    expect(await cache.get('k')).toBeNull();
  });

  test('the increment window is measured from the first increment', async () => {
    await cache.increment('hits', 10);
    clock.advance(6_000);
    expect(await cache.increment('hits', 10)).toBe(2);
    expect(await cache.ttl('hits')).toBe(4);
    clock.advance(4_000);
    expect(await cache.increment('hits', 10)).toBe(1);
  });

  test('an expired key reads as absent for delete and setIfAbsent', async () => {
    await cache.set('k', 'v', 1);
    clock.advance(1_000);
    expect(await cache.delete('k')).toBe(false);
    expect(await cache.setIfAbsent('k', 'w', 1)).toBe(true);
  });

  test('reading an expired key removes it', async () => {
    await cache.set('k', 'v', 1);
    clock.advance(1_000);
    expect(cache.size).toBe(1);
    await cache.get('k');
    expect(cache.size).toBe(0);
  });

  test('a sweep removes expired keys nobody reads and keeps live ones', async () => {
    await cache.set('short', 'v', 1);
    await cache.set('long', 'v', 60);
    clock.advance(1_000);
    cache.sweep();
    expect(cache.size).toBe(1);
    expect(await cache.get('long')).toBe('v');
  });

  test('incrementing a non-integer value is refused', async () => {
    await cache.set('k', 'abc', 60);
    await expect(cache.increment('k', 60)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('MemoryCache: housekeeping', () => {
  test('the periodic sweep removes expired keys by itself', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const cache = new MemoryCache({ clock, sweepIntervalMs: 10 });
    try {
      await cache.set('k', 'v', 1);
      clock.advance(1_000);
      expect(await eventually(async () => cache.size, (n) => n === 0, 10_000)).toBe(0);
    } finally {
      await cache.close();
    }
  });

  test('the sweep timer does not keep the process alive', async () => {
    const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = refTimers();
    const cache = new MemoryCache();
    try {
      expect(refTimers()).toBe(before);
    } finally {
      await cache.close();
    }
  });

  test('publish delivers after it returns, never inside the call', async () => {
    const cache = new MemoryCache();
    try {
      const received: string[] = [];
      await cache.subscribe('c', (m) => received.push(m));
      const publishing = cache.publish('c', 'm');
      expect(received).toEqual([]);
      await publishing;
      await eventually(async () => received.length, (n) => n === 1, 10_000);
      expect(received).toEqual(['m']);
    } finally {
      await cache.close();
    }
  });

  test('two instances do not share keys', async () => {
    const a = new MemoryCache();
    const b = new MemoryCache();
    try {
      await a.set('k', 'v', 60);
      expect(await b.get('k')).toBeNull();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('MemoryCache: bounded by bytes', () => {
  // Each entry below is charged 2 bytes per UTF-16 code unit of its key and value plus ENTRY_OVERHEAD_BYTES.
  const value = 'v'.repeat(100);
  const cost = (key: string, v = value) => 2 * (key.length + v.length) + ENTRY_OVERHEAD_BYTES;
  let clock: ReturnType<typeof manualClock>;
  let cache: MemoryCache;
  /** A cache with room for exactly `entries` entries shaped like key `k00`..`k99` with `value`. */
  const withRoomFor = (entries: number) => new MemoryCache({ clock, maxBytes: entries * cost('k00') });
  beforeEach(() => {
    clock = manualClock(Date.UTC(2030, 0, 1));
  });
  afterEach(async () => {
    await cache?.close();
  });

  test('the bytes held never pass maxBytes: a full cache evicts the least recently used entry', async () => {
    cache = withRoomFor(3);
    for (const key of ['k01', 'k02', 'k03', 'k04']) await cache.set(key, value, 60);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    expect(await cache.get('k01')).toBeNull();
    expect(await cache.get('k04')).toBe(value);
  });

  test('a read makes an entry recently used, so the unread one goes first', async () => {
    cache = withRoomFor(3);
    for (const key of ['k01', 'k02', 'k03']) await cache.set(key, value, 60);
    await cache.get('k01');
    await cache.set('k04', value, 60);
    expect([await cache.get('k01'), await cache.get('k02')]).toEqual([value, null]);
  });

  test('single-use claims are never evicted before they expire: ordinary entries go instead', async () => {
    cache = withRoomFor(3);
    expect(await cache.setIfAbsent('k01', value, 60)).toBe(true);
    await cache.set('k02', value, 60);
    await cache.set('k03', value, 60);
    await cache.set('k04', value, 60);
    await cache.set('k05', value, 60);
    expect(await cache.setIfAbsent('k01', 'replay', 60)).toBe(false);
    expect(await cache.get('k01')).toBe(value);
  });

  test('when live claims fill the cache, a new claim is refused with CacheUnavailableError and the old ones stay', async () => {
    cache = withRoomFor(3);
    for (const key of ['k01', 'k02', 'k03']) expect(await cache.setIfAbsent(key, value, 60)).toBe(true);
    await expect(cache.setIfAbsent('k04', value, 60)).rejects.toBeInstanceOf(CacheUnavailableError);
    for (const key of ['k01', 'k02', 'k03']) expect(await cache.setIfAbsent(key, value, 60)).toBe(false);
    await expect(cache.set('k05', value, 60)).rejects.toBeInstanceOf(CacheUnavailableError);
  });

  test('a claim whose window has ended makes room for a new one', async () => {
    cache = withRoomFor(3);
    await cache.setIfAbsent('k01', value, 10);
    await cache.setIfAbsent('k02', value, 60);
    await cache.setIfAbsent('k03', value, 60);
    clock.advance(10_000);
    expect(await cache.setIfAbsent('k04', value, 60)).toBe(true);
    expect(await cache.setIfAbsent('k02', value, 60)).toBe(false);
  });

  test('guess counters are kept like claims: a flood of ordinary entries cannot reset one', async () => {
    cache = new MemoryCache({ clock, maxBytes: 4 * cost('k00') });
    for (let i = 0; i < 3; i++) await cache.countAttempt([{ key: 'guesses', limit: 3 }], 60);
    for (let i = 10; i < 40; i++) await cache.set(`k${i}`, value, 60);
    expect(await cache.countAttempt([{ key: 'guesses', limit: 3 }], 60)).toBeGreaterThan(0);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  test('a new guess counter that would need a live one dropped is refused', async () => {
    cache = new MemoryCache({ clock, maxBytes: 2 * cost('guess-a', '1') });
    await cache.increment('guess-a', 60);
    await cache.countAttempt([{ key: 'guess-b', limit: 5 }], 60);
    await expect(cache.countAttempt([{ key: 'guess-c', limit: 5 }], 60)).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.increment('guess-c', 60)).rejects.toBeInstanceOf(CacheUnavailableError);
    expect([await cache.get('guess-a'), await cache.get('guess-b')]).toEqual(['1', '1']);
  });

  test('replacing a value charges the new size, not both', async () => {
    cache = withRoomFor(2);
    await cache.set('k01', value, 60);
    await cache.set('k02', value, 60);
    await cache.set('k01', value, 60);
    expect([await cache.get('k01'), await cache.get('k02')]).toEqual([value, value]);
    expect(cache.bytes).toBe(2 * cost('k00'));
  });

  test('an entry larger than the whole cache is refused and nothing is evicted for it', async () => {
    cache = withRoomFor(3);
    await cache.set('k01', value, 60);
    await expect(cache.set('huge', 'x'.repeat(cache.maxBytes), 60)).rejects.toBeInstanceOf(CacheUnavailableError);
    expect(await cache.get('k01')).toBe(value);
  });

  test('delete and expiry give the bytes back', async () => {
    cache = withRoomFor(3);
    await cache.set('k01', value, 60);
    await cache.set('k02', value, 1);
    await cache.delete('k01');
    clock.advance(1_000);
    cache.sweep();
    expect(cache.bytes).toBe(0);
  });

  test('maxBytes must be a positive whole number', () => {
    expect(() => new MemoryCache({ maxBytes: 0 })).toThrow(RangeError);
    expect(() => new MemoryCache({ maxBytes: 1.5 })).toThrow(RangeError);
  });

  test('without maxBytes the bound is the 64 MiB default', async () => {
    cache = new MemoryCache({ clock });
    expect(cache.maxBytes).toBe(DEFAULT_MEMORY_MAX_BYTES);
    expect(DEFAULT_MEMORY_MAX_BYTES).toBe(64 * 1024 * 1024);
  });
});
