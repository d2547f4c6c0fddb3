import type { MemoryCache } from '../../src/cache';
import { OAuth1Client, sendPrepared, startOAuth1Gateway, xauthAccess, type FormResult, type OAuth1Gateway, type Token } from '../helpers/oauth1';

// The memory cache holds at most cache.memoryMaxBytes. A flood of signed requests, each with a fresh
// nonce, fills it with nonces that must be remembered for their whole window: the gateway then
// refuses new nonces with 503 rather than forget a spent one (which would let its request be replayed).

const MAX_BYTES = 64 * 1024;
const alice = { username: 'alice', password: 'alice-password-1' };

let gw: OAuth1Gateway;
let client: OAuth1Client;
let token: Token;

beforeEach(async () => {
  gw = await startOAuth1Gateway({ config: { cache: { memoryMaxBytes: MAX_BYTES } } });
  await gw.fixtures.user(alice.username, alice.password);
  client = new OAuth1Client(gw, await gw.consumer({ name: 'Flooder', xauth: true }));
  ({ token } = await xauthAccess(client, alice));
});
afterEach(() => gw.close());

/** Sends signed resource requests with fresh nonces, 20 at a time, until one is refused (at most 100 rounds). */
async function floodUntilRefused(): Promise<FormResult | undefined> {
  for (let round = 0; round < 100; round++) {
    const results = await Promise.all(Array.from({ length: 20 }, () => client.whoami(token)));
    expect(results.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    const refused = results.find((r) => r.status === 503);
    if (refused) return refused;
  }
  return undefined;
}

test('once nonces fill the cache, a new nonce is refused with 503 and the bytes held stay within the bound', async () => {
  const refused = await floodUntilRefused();
  expect(refused?.status).toBe(503);
  expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((gw.deps.cache as MemoryCache).bytes).toBeLessThanOrEqual(MAX_BYTES);
});

test('a full cache never forgets a spent nonce: its replay is still refused as nonce_used', async () => {
  const first = client.prepare('GET', '/oauth/whoami', {}, token);
  expect((await sendPrepared(first)).status).toBe(200);
  expect((await floodUntilRefused())?.status).toBe(503);
  const replay = await sendPrepared(first);
  expect([replay.status, replay.form.oauth_problem]).toEqual([401, 'nonce_used']);
});

test('once the nonce window has passed, new nonces are accepted again', async () => {
  expect((await floodUntilRefused())?.status).toBe(503);
  // A nonce is kept for twice the timestamp window (plus a second), then its request could not be replayed anyway.
  gw.clock.advance((2 * gw.deps.config.oauth1.timestampWindowSeconds + 1) * 1000);
  expect((await client.whoami(token)).status).toBe(200);
});
