import { manualClock } from '../../src/clock';
import { MemoryCache } from '../../src/cache/memory';
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
      expect(await eventually(async () => cache.size, (n) => n === 0, 3_000)).toBe(0);
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
      await eventually(async () => received.length, (n) => n === 1, 3_000);
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
