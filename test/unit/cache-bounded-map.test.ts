import { BoundedMap } from '../../src/cache/bounded-map';

test('an entry is served until its expiry and not at it', () => {
  const cache = new BoundedMap<string>(10);
  cache.set('k', 'v', 1000);
  expect(cache.get('k', 999)).toBe('v');
  expect(cache.get('k', 1000)).toBeUndefined();
});

test('an expired entry is dropped on read', () => {
  const cache = new BoundedMap<string>(10);
  cache.set('k', 'v', 1000);
  cache.get('k', 2000);
  expect(cache.size).toBe(0);
});

test('past the cap the least recently used entry goes', () => {
  const cache = new BoundedMap<string>(2);
  cache.set('a', 'A', 10_000);
  cache.set('b', 'B', 10_000);
  cache.get('a', 0); // a is now the most recently used
  cache.set('c', 'C', 10_000);
  expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual(['A', undefined, 'C']);
});

test('delete evicts at once', () => {
  const cache = new BoundedMap<string>(2);
  cache.set('a', 'A', 10_000);
  expect(cache.delete('a')).toBe(true);
  expect(cache.get('a', 0)).toBeUndefined();
});

test('a cap below one is refused', () => {
  expect(() => new BoundedMap(0)).toThrow();
});
