import { CacheUnavailableError, type Cache } from '../../src/cache/types';

/**
 * What every Cache implementation promises, run against Redis and memory alike. The only
 * difference a suite supplies is how time passes: memory moves a manual clock, Redis waits.
 */
export interface CacheContractFixture {
  /** A new cache for the suite (same prefix, same clock). Sharing between instances is not part of the contract. */
  create(): Cache;
  /**
   * Lets `seconds` of TTL run out, then returns read()'s result. A real-time fixture polls until
   * `done` accepts the value or its bounded wait ends; the caller asserts on what comes back.
   */
  afterExpiry<T>(seconds: number, read: () => Promise<T>, done: (value: T) => boolean): Promise<T>;
}

/** Collects a channel's messages and resolves when a given message has arrived. */
export function inbox() {
  const messages: string[] = [];
  const waiters: Array<{ message: string; resolve: () => void }> = [];
  return {
    messages,
    handler: (message: string) => {
      messages.push(message);
      for (const waiter of waiters.filter((w) => w.message === message)) waiter.resolve();
    },
    /** Resolves once `message` has been received; rejects after a bounded wait. */
    received(message: string, withinMs = 5_000): Promise<void> {
      if (messages.includes(message)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`message ${JSON.stringify(message)} not delivered; got ${JSON.stringify(messages)}`)), withinMs);
        waiters.push({
          message,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

export function cacheContract(fixture: CacheContractFixture): void {
  let cache: Cache;
  let seq = 0;
  /** A key (or channel) no other test of the suite uses. */
  const fresh = (name: string) => `${name}:${++seq}`;

  beforeAll(() => {
    cache = fixture.create();
  });
  afterAll(async () => {
    await cache.close();
  });

  describe('get, set, delete', () => {
    test('get answers null for a key never set', async () => {
      expect(await cache.get(fresh('missing'))).toBeNull();
    });

    test('get returns what set stored', async () => {
      const key = fresh('plain');
      await cache.set(key, 'value-1', 60);
      expect(await cache.get(key)).toBe('value-1');
    });

    test('set replaces an existing value', async () => {
      const key = fresh('replace');
      await cache.set(key, 'old', 60);
      await cache.set(key, 'new', 60);
      expect(await cache.get(key)).toBe('new');
    });

    test('set replaces the TTL of an existing key', async () => {
      const key = fresh('replace-ttl');
      await cache.set(key, 'old', 600);
      await cache.set(key, 'new', 30);
      expect(await cache.ttl(key)).toBeLessThanOrEqual(30);
    });

    test('values are stored as given, including empty strings and unicode', async () => {
      const key = fresh('unicode');
      await cache.set(key, '', 60);
      expect(await cache.get(key)).toBe('');
      await cache.set(key, 'žluťoučký kůň 🐴 {"a":1}', 60);
      expect(await cache.get(key)).toBe('žluťoučký kůň 🐴 {"a":1}');
    });

    test('delete removes the key and answers true', async () => {
      const key = fresh('delete');
      await cache.set(key, 'v', 60);
      expect(await cache.delete(key)).toBe(true);
      expect(await cache.get(key)).toBeNull();
    });

    test('delete answers false for an absent key', async () => {
      expect(await cache.delete(fresh('delete-absent'))).toBe(false);
    });

    test('a key set with a TTL is gone once the TTL has passed', async () => {
      const key = fresh('expiring');
      await cache.set(key, 'v', 1);
      expect(await fixture.afterExpiry(1, () => cache.get(key), (v) => v === null)).toBeNull();
    });

    test('a non-positive or non-finite TTL is refused with a RangeError', async () => {
      const key = fresh('bad-ttl');
      await expect(cache.set(key, 'v', 0)).rejects.toBeInstanceOf(RangeError);
      await expect(cache.setIfAbsent(key, 'v', -1)).rejects.toBeInstanceOf(RangeError);
      await expect(cache.increment(key, Number.NaN)).rejects.toBeInstanceOf(RangeError);
      await expect(cache.set(key, 'v', Number.POSITIVE_INFINITY)).rejects.toBeInstanceOf(RangeError);
      expect(await cache.get(key)).toBeNull();
    });
  });

  describe('setIfAbsent', () => {
    test('the first call stores the value and answers true', async () => {
      const key = fresh('nonce');
      expect(await cache.setIfAbsent(key, 'first', 60)).toBe(true);
      expect(await cache.get(key)).toBe('first');
    });

    test('a second call answers false and keeps the first value', async () => {
      const key = fresh('nonce-twice');
      await cache.setIfAbsent(key, 'first', 60);
      expect(await cache.setIfAbsent(key, 'second', 60)).toBe(false);
      expect(await cache.get(key)).toBe('first');
    });

    test('exactly one of 20 concurrent calls on the same key wins', async () => {
      const key = fresh('nonce-race');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.setIfAbsent(key, `caller-${i}`, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await cache.get(key)).toBe(`caller-${results.indexOf(true)}`);
    });

    test('the key can be taken again once its TTL has passed', async () => {
      const key = fresh('nonce-expiry');
      await cache.setIfAbsent(key, 'first', 1);
      await fixture.afterExpiry(1, () => cache.get(key), (v) => v === null);
      expect(await cache.setIfAbsent(key, 'again', 60)).toBe(true);
      expect(await cache.get(key)).toBe('again');
    });

    test('the stored key gets the TTL it was given', async () => {
      const key = fresh('nonce-ttl');
      await cache.setIfAbsent(key, 'v', 45);
      const ttl = await cache.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(45);
    });
  });

  describe('increment', () => {
    test('counts up from 1', async () => {
      const key = fresh('counter');
      expect(await cache.increment(key, 60)).toBe(1);
      expect(await cache.increment(key, 60)).toBe(2);
      expect(await cache.increment(key, 60)).toBe(3);
    });

    test('the count is readable with get as a decimal string', async () => {
      const key = fresh('counter-get');
      await cache.increment(key, 60);
      await cache.increment(key, 60);
      expect(await cache.get(key)).toBe('2');
    });

    test('20 concurrent increments yield each count from 1 to 20 once', async () => {
      const key = fresh('counter-race');
      const counts = await Promise.all(Array.from({ length: 20 }, () => cache.increment(key, 60)));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    test('the first increment sets the TTL', async () => {
      const key = fresh('counter-ttl');
      await cache.increment(key, 60);
      const ttl = await cache.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    });

    test('later increments keep the TTL of the first one', async () => {
      const key = fresh('counter-window');
      await cache.increment(key, 60);
      await cache.increment(key, 6000);
      expect(await cache.ttl(key)).toBeLessThanOrEqual(60);
    });

    test('the count starts again from 1 after the TTL has passed', async () => {
      const key = fresh('counter-expiry');
      await cache.increment(key, 1);
      await cache.increment(key, 1);
      await fixture.afterExpiry(1, () => cache.get(key), (v) => v === null);
      expect(await cache.increment(key, 60)).toBe(1);
    });
  });

  describe('countAttempt', () => {
    test('counts one attempt on every counter and answers null while each is under its limit', async () => {
      const user = fresh('guess-user');
      const address = fresh('guess-addr');
      expect(await cache.countAttempt([{ key: user, limit: 3 }, { key: address, limit: 5 }], 60)).toBeNull();
      expect(await cache.countAttempt([{ key: user, limit: 3 }, { key: address, limit: 5 }], 60)).toBeNull();
      expect([await cache.get(user), await cache.get(address)]).toEqual(['2', '2']);
    });

    test('once a counter holds its limit the attempt is refused with the seconds left, and no counter moves', async () => {
      const user = fresh('guess-full');
      const address = fresh('guess-full-addr');
      for (let i = 0; i < 2; i++) expect(await cache.countAttempt([{ key: user, limit: 2 }], 60)).toBeNull();
      const wait = await cache.countAttempt([{ key: user, limit: 2 }, { key: address, limit: 9 }], 60);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
      expect(Number.isInteger(wait)).toBe(true);
      expect([await cache.get(user), await cache.get(address)]).toEqual(['2', null]);
    });

    test('of 40 concurrent attempts exactly the limit are counted', async () => {
      const key = fresh('guess-race');
      const answers = await Promise.all(Array.from({ length: 40 }, () => cache.countAttempt([{ key, limit: 5 }], 60)));
      expect(answers.filter((a) => a === null)).toHaveLength(5);
      expect(await cache.get(key)).toBe('5');
    });

    test('a refusal names the longest wait among the full counters', async () => {
      const short = fresh('guess-short');
      const long = fresh('guess-long');
      await cache.countAttempt([{ key: short, limit: 1 }], 30);
      await cache.countAttempt([{ key: long, limit: 1 }], 90);
      const wait = await cache.countAttempt([{ key: short, limit: 1 }, { key: long, limit: 1 }], 30);
      expect(wait).toBeGreaterThan(60);
      expect(wait).toBeLessThanOrEqual(90);
    });

    test('the window starts with the first attempt and later attempts do not extend it', async () => {
      const key = fresh('guess-window');
      await cache.countAttempt([{ key, limit: 5 }], 60);
      await cache.countAttempt([{ key, limit: 5 }], 6000);
      const ttl = await cache.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    });

    test('after the window has passed attempts are counted from 1 again', async () => {
      const key = fresh('guess-expiry');
      await cache.countAttempt([{ key, limit: 1 }], 1);
      await fixture.afterExpiry(1, () => cache.get(key), (v) => v === null);
      expect(await cache.countAttempt([{ key, limit: 1 }], 60)).toBeNull();
      expect(await cache.get(key)).toBe('1');
    });

    test('a counter written by increment is the same counter', async () => {
      const key = fresh('guess-shared');
      await cache.increment(key, 60);
      await cache.increment(key, 60);
      expect(await cache.countAttempt([{ key, limit: 2 }], 60)).toBeGreaterThan(0);
    });
  });

  describe('decrement', () => {
    test('takes one back from a counter and keeps its TTL', async () => {
      const key = fresh('take-back');
      await cache.increment(key, 60);
      await cache.increment(key, 60);
      expect(await cache.decrement(key)).toBe(1);
      expect(await cache.get(key)).toBe('1');
      const ttl = await cache.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    });

    test('a counter taken back to zero is removed', async () => {
      const key = fresh('take-back-zero');
      await cache.increment(key, 60);
      expect(await cache.decrement(key)).toBe(0);
      expect(await cache.get(key)).toBeNull();
    });

    test('an absent counter stays absent (never negative, never without a TTL)', async () => {
      const key = fresh('take-back-absent');
      expect(await cache.decrement(key)).toBe(0);
      expect(await cache.get(key)).toBeNull();
    });

    test('an attempt taken back makes room under the limit', async () => {
      const key = fresh('take-back-room');
      await cache.countAttempt([{ key, limit: 1 }], 60);
      await cache.decrement(key);
      expect(await cache.countAttempt([{ key, limit: 1 }], 60)).toBeNull();
    });
  });

  describe('ttl', () => {
    test('answers null for an absent key', async () => {
      expect(await cache.ttl(fresh('ttl-absent'))).toBeNull();
    });

    test('answers whole seconds no greater than the TTL given', async () => {
      const key = fresh('ttl');
      await cache.set(key, 'v', 120);
      const ttl = await cache.ttl(key);
      expect(Number.isInteger(ttl)).toBe(true);
      expect(ttl).toBeGreaterThan(60);
      expect(ttl).toBeLessThanOrEqual(120);
    });

    test('answers null once the key has expired', async () => {
      const key = fresh('ttl-expired');
      await cache.set(key, 'v', 1);
      expect(await fixture.afterExpiry(1, () => cache.ttl(key), (v) => v === null)).toBeNull();
    });
  });

  describe('publish and subscribe', () => {
    test('a subscriber receives a message published after subscribe resolved', async () => {
      const channel = fresh('chan');
      const box = inbox();
      const unsubscribe = await cache.subscribe(channel, box.handler);
      await cache.publish(channel, 'hello');
      await box.received('hello');
      expect(box.messages).toEqual(['hello']);
      await unsubscribe();
    });

    test('messages arrive in the order they were published', async () => {
      const channel = fresh('chan-order');
      const box = inbox();
      const unsubscribe = await cache.subscribe(channel, box.handler);
      for (const m of ['1', '2', '3', '4', '5']) await cache.publish(channel, m);
      await box.received('5');
      expect(box.messages).toEqual(['1', '2', '3', '4', '5']);
      await unsubscribe();
    });

    test('a subscriber does not receive messages of another channel', async () => {
      const mine = fresh('chan-mine');
      const theirs = fresh('chan-theirs');
      const box = inbox();
      const unsubscribe = await cache.subscribe(mine, box.handler);
      await cache.publish(theirs, 'not-for-me');
      // Delivery is ordered: once the later message arrived, the earlier one would have too.
      await cache.publish(mine, 'sentinel');
      await box.received('sentinel');
      expect(box.messages).toEqual(['sentinel']);
      await unsubscribe();
    });

    test('every subscriber of a channel receives each message', async () => {
      const channel = fresh('chan-fanout');
      const a = inbox();
      const b = inbox();
      const offA = await cache.subscribe(channel, a.handler);
      const offB = await cache.subscribe(channel, b.handler);
      await cache.publish(channel, 'both');
      await Promise.all([a.received('both'), b.received('both')]);
      expect([a.messages, b.messages]).toEqual([['both'], ['both']]);
      await offA();
      await offB();
    });

    test('after unsubscribe a handler receives nothing while others on the channel still do', async () => {
      const channel = fresh('chan-partial');
      const gone = inbox();
      const stays = inbox();
      const offGone = await cache.subscribe(channel, gone.handler);
      const offStays = await cache.subscribe(channel, stays.handler);
      await offGone();
      await cache.publish(channel, 'after');
      await stays.received('after');
      expect(gone.messages).toEqual([]);
      await offStays();
    });

    test('after the last handler unsubscribes the channel delivers nothing', async () => {
      const channel = fresh('chan-off');
      const watch = fresh('chan-watch');
      const gone = inbox();
      const watcher = inbox();
      const off = await cache.subscribe(channel, gone.handler);
      const offWatcher = await cache.subscribe(watch, watcher.handler);
      await cache.publish(channel, 'before');
      await gone.received('before');
      await off();
      await cache.publish(channel, 'after');
      await cache.publish(watch, 'sentinel');
      await watcher.received('sentinel');
      expect(gone.messages).toEqual(['before']);
      await offWatcher();
    });

    test('calling unsubscribe twice is harmless', async () => {
      const channel = fresh('chan-twice');
      const box = inbox();
      const keep = inbox();
      const off = await cache.subscribe(channel, box.handler);
      const offKeep = await cache.subscribe(channel, keep.handler);
      await off();
      await expect(off()).resolves.toBeUndefined();
      await cache.publish(channel, 'still');
      await keep.received('still');
      expect(keep.messages).toEqual(['still']);
      await offKeep();
    });

    test('a handler that throws does not stop delivery to the others', async () => {
      const channel = fresh('chan-throw');
      const box = inbox();
      const offBad = await cache.subscribe(channel, () => {
        throw new Error('subscriber bug');
      });
      const offGood = await cache.subscribe(channel, box.handler);
      await cache.publish(channel, 'one');
      await cache.publish(channel, 'two');
      await box.received('two');
      expect(box.messages).toEqual(['one', 'two']);
      await offBad();
      await offGood();
    });
  });

  describe('ping and close', () => {
    test('ping answers true while the store is reachable', async () => {
      expect(await cache.ping()).toBe(true);
    });

    test('after close ping answers false', async () => {
      const closing = fixture.create();
      expect(await closing.ping()).toBe(true);
      await closing.close();
      expect(await closing.ping()).toBe(false);
    });

    test('after close every command rejects with CacheUnavailableError', async () => {
      const closing = fixture.create();
      await closing.set(fresh('closing'), 'v', 60);
      await closing.close();
      const key = fresh('closed');
      await expect(closing.get(key)).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.set(key, 'v', 60)).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.setIfAbsent(key, 'v', 60)).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.delete(key)).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.increment(key, 60)).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.countAttempt([{ key, limit: 1 }], 60)).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.decrement(key)).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.ttl(key)).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.publish(key, 'm')).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(closing.subscribe(key, () => {})).rejects.toBeInstanceOf(CacheUnavailableError);
    });

    test('close can be called twice', async () => {
      const closing = fixture.create();
      await closing.close();
      await expect(closing.close()).resolves.toBeUndefined();
    });
  });
}
