import { MemoryCache } from '../../src/cache/memory';
import { manualClock } from '../../src/clock';
import { freeSlot, indexedSessions, indexSession, MAX_INDEXED_SESSIONS } from '../../src/pages/session-index';

// The per-user session index: slots claimed atomically, bounded, taken back when their session is
// gone, expiring with the sessions. Against the memory cache (the Redis one shares its contract).

const digest = (i: number) => `digest-${String(i).padStart(12, '0')}`;

function setup() {
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const cache = new MemoryCache({ clock });
  const live = new Set<string>();
  const isLive = async (d: string) => live.has(d);
  return { clock, cache, live, isLive };
}

test('two sign-ins claim two slots; freeing one leaves the other', async () => {
  const { cache, isLive } = setup();
  const [s0, s1] = await Promise.all([indexSession(cache, 'u', digest(0), 60, isLive), indexSession(cache, 'u', digest(1), 60, isLive)]);
  expect(new Set([s0, s1])).toEqual(new Set([0, 1]));
  expect(await freeSlot(cache, 'u', s0!, digest(0))).toBe(true);
  expect((await indexedSessions(cache, 'u')).map((s) => s.digest)).toEqual([digest(1)]);
  await cache.close();
});

test('a slot is freed only for the session it names', async () => {
  const { cache, isLive } = setup();
  const slot = (await indexSession(cache, 'u', digest(0), 60, isLive))!;
  expect(await freeSlot(cache, 'u', slot, digest(9))).toBe(false);
  expect(await indexedSessions(cache, 'u')).toHaveLength(1);
  await cache.close();
});

test('bounded: with every slot held by a live session the next one is not indexed; a dead one is taken back', async () => {
  const { cache, live, isLive } = setup();
  for (let i = 0; i < MAX_INDEXED_SESSIONS; i++) {
    live.add(digest(i));
    expect(await indexSession(cache, 'u', digest(i), 60, isLive)).toBe(i);
  }
  expect(await indexSession(cache, 'u', digest(100), 60, isLive)).toBeNull();
  live.delete(digest(3));
  expect(await indexSession(cache, 'u', digest(101), 60, isLive)).toBe(3);
  expect(await indexedSessions(cache, 'u')).toHaveLength(MAX_INDEXED_SESSIONS);
  await cache.close();
});

test('slots expire with the sessions\u2019 longest lifetime', async () => {
  const { clock, cache, isLive } = setup();
  await indexSession(cache, 'u', digest(0), 60, isLive);
  clock.advance(61_000);
  expect(await indexedSessions(cache, 'u')).toEqual([]);
  await cache.close();
});

test('users do not share slots', async () => {
  const { cache, isLive } = setup();
  expect(await indexSession(cache, 'u1', digest(0), 60, isLive)).toBe(0);
  expect(await indexSession(cache, 'u2', digest(1), 60, isLive)).toBe(0);
  expect((await indexedSessions(cache, 'u1')).map((s) => s.digest)).toEqual([digest(0)]);
  await cache.close();
});
