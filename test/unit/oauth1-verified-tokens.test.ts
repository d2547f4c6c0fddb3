import { MemoryCache } from '../../src/cache';
import { manualClock } from '../../src/clock';
import { createLogger } from '../../src/http/logger';
import type { Identity } from '../../src/identity';
import { REVOCATION_CHANNEL, VerifiedTokens, type VerifiedToken } from '../../src/oauth1/verified-tokens';
import { RevocationFeed } from '../../src/revocation';
import { MemoryRevocationLog } from '../helpers/revocation-log';

// The in-process cache of verified OAuth 1.0a access tokens, over the real memory cache.

const START = Date.UTC(2030, 0, 1);
const digest = (n: number) => n.toString(16).padStart(64, '0');

function entry(expiresAt: number): VerifiedToken {
  const identity: Identity = { protocol: 'oauth1', userId: 'u', username: 'alice', clientId: 'ck', scopes: [], privileges: [], expiresAt };
  return { consumerKey: 'ck', consumerSecret: 'cs', tokenSecret: 'ts', identity };
}

function setup() {
  const clock = manualClock(START);
  const cache = new MemoryCache({ clock });
  const log = new MemoryRevocationLog();
  const feed = new RevocationFeed({ log, cache, clock, logger: createLogger('silent') });
  const tokens = new VerifiedTokens({ cache, clock, logger: createLogger('silent') }, feed);
  return { clock, cache, tokens, log, feed };
}

test('a remembered token is found until a minute has passed', async () => {
  const { clock, tokens } = setup();
  await tokens.remember(digest(1), entry(START + 3600_000));
  clock.advance(59_999);
  expect(tokens.get(digest(1))?.tokenSecret).toBe('ts');
  clock.advance(1);
  expect(tokens.get(digest(1))).toBeUndefined();
});

test('an entry never outlives its token', async () => {
  const { clock, tokens } = setup();
  await tokens.remember(digest(2), entry(START + 10_000));
  clock.advance(10_000);
  expect(tokens.get(digest(2))).toBeUndefined();
});

test('revoke evicts the token here and publishes its digest for the other nodes', async () => {
  const { cache, tokens } = setup();
  const heard: string[] = [];
  await cache.subscribe(REVOCATION_CHANNEL, (m) => heard.push(m));
  await tokens.remember(digest(3), entry(START + 3600_000));
  await tokens.revoke(digest(3));
  expect(tokens.get(digest(3))).toBeUndefined();
  await new Promise((resolve) => setImmediate(resolve));
  expect(heard).toEqual([digest(3)]);
});

test('a revocation heard on the channel evicts the token', async () => {
  const { cache, tokens } = setup();
  await tokens.remember(digest(4), entry(START + 3600_000));
  await cache.publish(REVOCATION_CHANNEL, digest(4));
  await new Promise((resolve) => setImmediate(resolve));
  expect(tokens.get(digest(4))).toBeUndefined();
});

test('a token revoked a moment ago cannot be put back by a verification that read it before', async () => {
  const { tokens } = setup();
  await tokens.revoke(digest(5));
  await tokens.remember(digest(5), entry(START + 3600_000));
  expect(tokens.get(digest(5))).toBeUndefined();
});

test('nothing is remembered while the revocation channel cannot be subscribed', async () => {
  const { cache, tokens } = setup();
  await cache.close();
  await tokens.remember(digest(6), entry(START + 3600_000));
  expect(tokens.size).toBe(0);
});

describe('revocations of a whole user or consumer, from the revocation log', () => {
  test('an entry cached before its user was revoked stops counting once the feed has read the log', async () => {
    const { tokens, log, feed } = setup();
    await feed.start();
    await tokens.remember(digest(7), entry(START + 3600_000));
    log.append('user', 'u');
    expect(tokens.get(digest(7))?.tokenSecret).toBe('ts');
    await feed.catchUp();
    expect(tokens.get(digest(7))).toBeUndefined();
    await feed.close();
  });

  test('a consumer revocation ends its entries, another consumer is untouched', async () => {
    const { tokens, log, feed } = setup();
    await feed.start();
    await tokens.remember(digest(8), entry(START + 3600_000));
    log.append('consumer', 'another');
    await feed.catchUp();
    expect(tokens.get(digest(8))).toBeDefined();
    log.append('consumer', 'ck');
    await feed.catchUp();
    expect(tokens.get(digest(8))).toBeUndefined();
    await feed.close();
  });

  test('a verification that read the database before the revocation cannot cache its result after it', async () => {
    const { tokens, log, feed } = setup();
    await feed.start();
    log.append('user', 'u');
    await feed.catchUp();
    await tokens.remember(digest(9), entry(START + 3600_000));
    expect(tokens.get(digest(9))).toBeUndefined();
    await feed.close();
  });
});
