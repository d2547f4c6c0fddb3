import { MemoryCache } from '../../src/cache';
import { manualClock } from '../../src/clock';
import { createLogger } from '../../src/http/logger';
import type { Identity } from '../../src/identity';
import { openRevocations } from '../../src/revocation';
import { MemoryRevocationLog } from '../helpers/revocation-log';

// The one cache type of verified credentials, used for OAuth 2.0 bearer tokens and OAuth 1.0a
// access tokens, over the real revocation feed and channel (an in-memory log, the memory cache's pub/sub).

const START = Date.UTC(2030, 0, 1);
const HOUR = 3600_000;
const digest = (n: number) => n.toString(16).padStart(64, '0');

function bearer(expiresAt = START + HOUR, userId: string | null = 'u', clientId = 'web') {
  const identity: Identity = { protocol: 'oauth2', userId, username: userId, clientId, scopes: ['read'], privileges: [], expiresAt };
  return { ok: true as const, identity };
}

function oauth1Token(expiresAt = START + HOUR, consumerKey = 'ck') {
  const identity: Identity = { protocol: 'oauth1', userId: 'u', username: 'alice', clientId: consumerKey, scopes: [], privileges: [], expiresAt };
  return { consumerKey, consumer: { consumerSecret: 'cs', previousSecret: null, rsaPublicKey: null, signatureMethods: null }, tokenSecret: 'ts', identity };
}

const opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of opened.splice(0)) await close();
});

async function setup() {
  const clock = manualClock(START);
  const cache = new MemoryCache({ clock });
  const log = new MemoryRevocationLog();
  // Reads of the log happen only when a test asks (catchUp), never on a timer within a test.
  const { revocations, verifiedTokens } = await openRevocations({ log, cache, clock, logger: createLogger('silent'), pollIntervalMs: 3600_000 });
  opened.push(async () => {
    await revocations.close();
    await cache.close();
  });
  return { clock, cache, log, revocations, feed: revocations.feed, oauth2: verifiedTokens.oauth2, oauth1: verifiedTokens.oauth1 };
}

describe('what is cached, and for how long', () => {
  test('a remembered credential is found until a minute has passed', async () => {
    const { clock, oauth1 } = await setup();
    expect(oauth1.remember(digest(1), oauth1Token(), oauth1.lookup())).toBe(true);
    clock.advance(59_999);
    expect(oauth1.get(digest(1))?.tokenSecret).toBe('ts');
    clock.advance(1);
    expect(oauth1.get(digest(1))).toBeUndefined();
  });

  test('an entry never outlives its credential', async () => {
    const { clock, oauth2 } = await setup();
    oauth2.remember(digest(2), bearer(START + 10_000), oauth2.lookup());
    clock.advance(9_999);
    expect(oauth2.get(digest(2))?.identity.clientId).toBe('web');
    clock.advance(1);
    expect(oauth2.get(digest(2))).toBeUndefined();
  });

  test('a credential that has already expired is not cached', async () => {
    const { oauth2 } = await setup();
    expect(oauth2.remember(digest(3), bearer(START), oauth2.lookup())).toBe(false);
    expect(oauth2.size).toBe(0);
  });

  test('a hit returns the cached value itself (nothing is allocated per request)', async () => {
    const { oauth2 } = await setup();
    const active = bearer();
    oauth2.remember(digest(4), active, oauth2.lookup());
    expect(oauth2.get(digest(4))).toBe(active);
  });
});

describe('the race guard: a lookup that raced a revocation never caches its stale result', () => {
  test('a token evicted while the lookup ran is not cached', async () => {
    const { oauth2 } = await setup();
    const lookup = oauth2.lookup();
    // Meanwhile the token is revoked (this node, or a message from another one) ...
    oauth2.evict([digest(5)]);
    // ... and the lookup, which read the row just before, comes back with "active".
    expect(oauth2.remember(digest(5), bearer(), lookup)).toBe(false);
    expect(oauth2.get(digest(5))).toBeUndefined();
  });

  test('the same holds for OAuth 1.0a tokens: the type is one', async () => {
    const { oauth1 } = await setup();
    const lookup = oauth1.lookup();
    oauth1.evict([digest(6)]);
    expect(oauth1.remember(digest(6), oauth1Token(), lookup)).toBe(false);
  });

  test('a lookup that starts after the eviction caches its result', async () => {
    const { oauth2 } = await setup();
    oauth2.evict([digest(7)]);
    expect(oauth2.remember(digest(7), bearer(), oauth2.lookup())).toBe(true);
  });

  test('a user revoked in the log while the lookup ran: not cached, even once the log was read', async () => {
    const { oauth2, log, feed } = await setup();
    const lookup = oauth2.lookup();
    log.append('user', 'u');
    await feed.catchUp();
    expect(oauth2.remember(digest(8), bearer(), lookup)).toBe(false);
  });

  test('a revocation of someone else during the lookup does not stop caching', async () => {
    const { oauth2, log, feed } = await setup();
    const lookup = oauth2.lookup();
    log.append('user', 'someone-else');
    log.append('consumer', 'web'); // a consumer key that equals the client_id: another party
    await feed.catchUp();
    expect(oauth2.remember(digest(9), bearer(), lookup)).toBe(true);
  });

  test('a log entry read only after the result was cached still ends the entry', async () => {
    const { oauth1, log, feed } = await setup();
    const lookup = oauth1.lookup();
    log.append('user', 'u');
    expect(oauth1.remember(digest(10), oauth1Token(), lookup)).toBe(true); // the feed has not read it yet
    await feed.catchUp();
    expect(oauth1.get(digest(10))).toBeUndefined();
  });
});

describe('revocations of a whole user, client or consumer, from the revocation log', () => {
  test('an entry cached before its user was revoked stops counting once the feed has read the log', async () => {
    const { oauth1, log, feed } = await setup();
    oauth1.remember(digest(11), oauth1Token(), oauth1.lookup());
    log.append('user', 'u');
    expect(oauth1.get(digest(11))?.tokenSecret).toBe('ts');
    await feed.catchUp();
    expect(oauth1.get(digest(11))).toBeUndefined();
  });

  test('a consumer revocation ends its OAuth 1.0a entries; a client of the same name keeps its bearer tokens', async () => {
    const { oauth1, oauth2, log, feed } = await setup();
    oauth1.remember(digest(12), oauth1Token(START + HOUR, 'app'), oauth1.lookup());
    oauth2.remember(digest(13), bearer(START + HOUR, null, 'app'), oauth2.lookup());
    log.append('consumer', 'app');
    await feed.catchUp();
    expect(oauth1.get(digest(12))).toBeUndefined();
    expect(oauth2.get(digest(13))).toBeDefined();
    log.append('client', 'app');
    await feed.catchUp();
    expect(oauth2.get(digest(13))).toBeUndefined();
  });
});

describe('single tokens revoked, on the one revocation channel', () => {
  test('a revocation here evicts the token at once and announces its digest to the other nodes', async () => {
    const { cache, oauth2, revocations } = await setup();
    const heard: string[] = [];
    await cache.subscribe('revocations', (m) => heard.push(m));
    oauth2.remember(digest(14), bearer(), oauth2.lookup());
    await revocations.tokensRevoked([digest(14)]);
    expect(oauth2.get(digest(14))).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual([`token:${digest(14)}`]);
  });

  test('a revocation heard from another node evicts the token, whichever protocol it is', async () => {
    const { cache, oauth1, oauth2 } = await setup();
    oauth1.remember(digest(15), oauth1Token(), oauth1.lookup());
    oauth2.remember(digest(16), bearer(), oauth2.lookup());
    await cache.publish('revocations', `token:${digest(15)}`);
    await cache.publish('revocations', `token:${digest(16)}`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(oauth1.get(digest(15))).toBeUndefined();
    expect(oauth2.get(digest(16))).toBeUndefined();
  });

  test('a message that is not a digest evicts nothing', async () => {
    const { cache, oauth2 } = await setup();
    const d = 'ab'.repeat(32);
    oauth2.remember(d, bearer(), oauth2.lookup());
    for (const message of [d, `token:${d.toUpperCase()}`, `token:${d}0`, 'token:', `log:${d}`]) {
      await cache.publish('revocations', message);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(oauth2.get(d)).toBeDefined();
  });
});

describe('while revocations from other nodes are not heard', () => {
  test('nothing is cached', async () => {
    const clock = manualClock(START);
    const cache = new MemoryCache({ clock });
    await cache.close(); // every subscription attempt fails
    const { revocations, verifiedTokens } = await openRevocations({ log: new MemoryRevocationLog(), cache, clock, logger: createLogger('silent') });
    opened.push(() => revocations.close());
    expect(revocations.channel.listening).toBe(false);
    const { oauth2 } = verifiedTokens;
    expect(oauth2.remember(digest(18), bearer(), oauth2.lookup())).toBe(false);
    expect(oauth2.get(digest(18))).toBeUndefined();
  });
});
