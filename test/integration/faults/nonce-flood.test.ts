import type { MemoryCache } from '../../../src/cache';
import { OAuth1Client, sendPrepared, startOAuth1Gateway, xauthAccess, type OAuth1Gateway, type Token } from '../../helpers/oauth1';

// Issue "several nodes and faults", item 8: at 9k signed requests a second a node without a bound
// on its in-memory nonces grew until it died. Driven at the highest rate this machine gives (64
// requests in flight, each with a fresh nonce, thousands in all) through a node with a small bound:
// the bytes held never pass the bound, the number of entries stops growing once it is full, and
// every request past that is answered 503 (never a 500, never forgetting a spent nonce).

const MAX_BYTES = 64 * 1024;
const IN_FLIGHT = 64;
const TOTAL = 2_048;
const alice = { username: 'alice', password: 'alice-password-1' };

let gw: OAuth1Gateway;
let client: OAuth1Client;
let token: Token;

beforeAll(async () => {
  gw = await startOAuth1Gateway({ config: { cache: { memoryMaxBytes: MAX_BYTES } } });
  await gw.fixtures.user(alice.username, alice.password);
  client = new OAuth1Client(gw, await gw.consumer({ name: 'Flooder', xauth: true }));
  ({ token } = await xauthAccess(client, alice));
});
afterAll(() => gw.close());

test(`${TOTAL} signed requests, ${IN_FLIGHT} at a time, each with a fresh nonce: bounded bytes and entries, 503 once full`, async () => {
  const cache = gw.deps.cache as MemoryCache;
  const first = client.prepare('GET', '/oauth/whoami', {}, token);
  expect((await sendPrepared(first)).status).toBe(200);

  const statuses = new Map<number, number>();
  let maxBytes = 0;
  let entriesWhenFull: number | null = null;
  const entriesAfterFull = new Set<number>();
  for (let sent = 0; sent < TOTAL; sent += IN_FLIGHT) {
    const round = await Promise.all(Array.from({ length: IN_FLIGHT }, () => sendPrepared(client.prepare('GET', '/oauth/whoami', {}, token))));
    for (const { status } of round) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    maxBytes = Math.max(maxBytes, cache.bytes);
    if (entriesWhenFull === null && round.some((r) => r.status === 503)) entriesWhenFull = cache.size;
    else if (entriesWhenFull !== null) entriesAfterFull.add(cache.size);
  }

  expect([...statuses.keys()].sort()).toEqual([200, 503]);
  expect(maxBytes).toBeLessThanOrEqual(MAX_BYTES);
  // Full early: most of the flood was refused, and from then on the cache held no more entries.
  expect(statuses.get(503)!).toBeGreaterThan(TOTAL / 2);
  expect(entriesWhenFull).not.toBeNull();
  expect(Math.max(...entriesAfterFull)).toBeLessThanOrEqual(entriesWhenFull!);
  // Accepted requests are at most what the bound holds: every one of them spent a nonce that is kept.
  expect(statuses.get(200)!).toBeLessThanOrEqual(cache.size);

  // The spent nonce of the very first request is still known.
  const replay = await sendPrepared(first);
  expect([replay.status, replay.form.oauth_problem]).toEqual([401, 'nonce_used']);
});
