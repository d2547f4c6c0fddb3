import { Writable } from 'node:stream';
import { MemoryCache } from '../../src/cache';
import { manualClock } from '../../src/clock';
import { createLogger } from '../../src/http/logger';
import { NonceMemory } from '../../src/oauth1/nonce-memory';
import { OAuth1Problem } from '../../src/oauth1/problems';

// Whether the shared cache still remembers spent nonces (oauth1/nonce-memory.ts), on the memory
// cache with a manual clock; "losing the data" is deleting the marker, as an empty Redis would.

const WINDOW = 300;
const MARKER = 'oauth1:nonce-memory';

function setup() {
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const cache = new MemoryCache({ clock });
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }));
  const node = () => new NonceMemory({ cache, clock, logger, timestampWindowSeconds: WINDOW });
  return { clock, cache, lines, node };
}

/** The refusal for a timestamp, or null when it passes. */
async function verdict(memory: NonceMemory, timestamp: number): Promise<{ problem: string; acceptable: string } | null> {
  const marker = await memory.current();
  try {
    memory.requireRemembered(marker, timestamp);
    return null;
  } catch (err) {
    if (!(err instanceof OAuth1Problem)) throw err;
    return { problem: err.problem, acceptable: err.parameters.oauth_acceptable_timestamps! };
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a first start on an empty cache is no loss: old timestamps inside the window pass', async () => {
  const { clock, node } = setup();
  const a = node();
  await a.open();
  expect(await verdict(a, Math.floor(clock() / 1000) - 299)).toBeNull();
});

test('the marker gone: older timestamps are refused for one window (timestamp_refused up to the second it was noticed, that one included), newer ones pass', async () => {
  const { clock, cache, lines, node } = setup();
  const a = node();
  await a.open();
  clock.advance(10_000);
  await cache.delete(MARKER);
  await tick();
  const noticed = Math.floor(clock() / 1000);
  expect(await verdict(a, noticed - 1)).toEqual({ problem: 'timestamp_refused', acceptable: `${noticed + 1}-${noticed + WINDOW}` });
  expect(await verdict(a, noticed)).toMatchObject({ problem: 'timestamp_refused' });
  expect(await verdict(a, noticed + 1)).toBeNull();
  expect(lines.filter((l) => l.includes('lost its record of used nonces'))).toHaveLength(1);

  await tick();
  clock.advance(WINDOW * 1000);
  expect(await verdict(a, noticed - 1)).toBeNull(); // the window check refuses it by itself from here on
});

test('a node adopts the loss another node noticed; a marker re-created by a starting node is a loss for a running one', async () => {
  const { clock, cache, node } = setup();
  const a = node();
  const b = node();
  await a.open();
  await b.open();
  await cache.delete(MARKER);
  const noticed = Math.floor(clock() / 1000);
  expect(await verdict(a, noticed - 5)).not.toBeNull(); // a notices and writes it down
  expect(await verdict(b, noticed - 5)).not.toBeNull(); // b reads a's marker

  await tick();
  clock.advance(WINDOW * 1000 + 1000);
  // The cache empties again and a node starting now writes a marker that knows of no loss:
  await cache.delete(MARKER);
  const c = node();
  await c.open();
  await tick();
  const now = Math.floor(clock() / 1000);
  // c spent no nonce before, so it refuses nothing; a ran before and takes it for the loss it is,
  expect(await verdict(c, now - 5)).toBeNull();
  await tick();
  expect(await verdict(a, now - 5)).toMatchObject({ problem: 'timestamp_refused' });
  // and says so in the marker, which c then adopts.
  await tick();
  expect(await verdict(c, now - 5)).toMatchObject({ problem: 'timestamp_refused' });
});

test('one read of the marker per event-loop turn, however many claims share it', async () => {
  const { cache, node } = setup();
  const a = node();
  await a.open();
  let reads = 0;
  const get = cache.get.bind(cache);
  cache.get = (key: string) => ((reads += key === MARKER ? 1 : 0), get(key));
  await Promise.all(Array.from({ length: 50 }, () => a.current()));
  expect(reads).toBe(1);
  await tick();
  await a.current();
  expect(reads).toBe(2);
});

test('PLAINTEXT without a timestamp has nothing to refuse', async () => {
  const { cache, node } = setup();
  const a = node();
  await a.open();
  await cache.delete(MARKER);
  expect(() => a.requireRemembered({ id: '0'.repeat(16), lostAt: Date.UTC(2030, 0, 1) }, null)).not.toThrow();
});
