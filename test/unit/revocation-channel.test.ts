import { Writable } from 'node:stream';
import { MemoryCache, RedisCache } from '../../src/cache';
import { manualClock } from '../../src/clock';
import { createLogger } from '../../src/http/logger';
import { REVOCATION_CHANNEL, RevocationChannel, logGrewMessage, openRevocations } from '../../src/revocation';
import { MemoryRevocationLog } from '../helpers/revocation-log';
import { eventually, throwawayRedis } from '../helpers/redis';

// The one subscription through which revocations reach a node: log wake-ups and single tokens.

const alice = { protocol: 'oauth2' as const, userId: 'alice', clientId: 'web' };

function collectingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

test('a log message makes the feed read the log at once', async () => {
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const cache = new MemoryCache({ clock });
  const log = new MemoryRevocationLog();
  // No timer read happens within this test: only the message can make the feed read.
  const { revocations } = await openRevocations({ log, cache, clock, logger: createLogger('silent'), pollIntervalMs: 3600_000 });
  const seen = revocations.feed.seen;
  const seq = log.append('user', 'alice');
  await cache.publish(REVOCATION_CHANNEL, logGrewMessage(seq));
  expect(await eventually(async () => revocations.feed.revokedAfter(alice, seen), (v) => v, 10_000, 5)).toBe(true);
  await revocations.close();
  await cache.close();
});

test('it is the only subscription: one channel for log wake-ups and single tokens', async () => {
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const cache = new MemoryCache({ clock });
  const subscribed: string[] = [];
  const counting = { publish: cache.publish.bind(cache), subscribe: (channel: string, handler: (m: string) => void) => (subscribed.push(channel), cache.subscribe(channel, handler)) };
  const { revocations } = await openRevocations({ log: new MemoryRevocationLog(), cache: counting, clock, logger: createLogger('silent') });
  expect(subscribed).toEqual([REVOCATION_CHANNEL]);
  expect(revocations.channel.listening).toBe(true);
  await revocations.close();
  await cache.close();
});

describe('when the subscription fails', () => {
  jest.setTimeout(30_000);

  test('it says so once, retries on its own, and listens once Redis is back', async () => {
    const redis = await throwawayRedis();
    await redis.kill();
    const cache = new RedisCache({ url: redis.url });
    const { lines, logger } = collectingLogger();
    const heard: string[] = [];
    const channel = new RevocationChannel({
      cache,
      logger,
      handlers: { logGrew: () => heard.push('log'), tokenRevoked: (d) => heard.push(d), subscriptionLost: () => heard.push('lost'), subscriptionRestored: () => heard.push('restored') },
      resubscribeMs: 50,
    });
    try {
      await channel.start();
      expect(channel.listening).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 200)); // a few retries, all failing
      expect(lines.filter((l) => l.includes('cannot subscribe to revocations'))).toHaveLength(1);

      await redis.start();
      expect(await eventually(async () => channel.listening, (v) => v, 10_000, 50)).toBe(true);
      expect(lines.some((l) => l.includes('subscribed to revocations again'))).toBe(true);
      const digest = 'a'.repeat(64);
      await cache.publish(REVOCATION_CHANNEL, `token:${digest}`);
      expect(await eventually(async () => heard, (h) => h.length > 0, 10_000, 20)).toEqual([digest]);
    } finally {
      await channel.close();
      await cache.close();
      await redis.dispose();
    }
  });

  test('a lookup that started before the channel listened caches nothing', async () => {
    const redis = await throwawayRedis();
    await redis.kill();
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const cache = new RedisCache({ url: redis.url });
    const { revocations, verifiedTokens } = await openRevocations({ log: new MemoryRevocationLog(), cache, clock, logger: createLogger('silent') });
    try {
      const lookup = verifiedTokens.oauth2.lookup();
      await redis.start();
      // The channel retries every five seconds on its own.
      expect(await eventually(async () => revocations.channel.listening, (v) => v, 15_000, 100)).toBe(true);
      const identity = { ...alice, username: 'alice', scopes: [], privileges: [], expiresAt: clock() + 3600_000 };
      expect(verifiedTokens.oauth2.remember('b'.repeat(64), { ok: true, identity }, lookup)).toBe(false);
      expect(verifiedTokens.oauth2.remember('b'.repeat(64), { ok: true, identity }, verifiedTokens.oauth2.lookup())).toBe(true);
    } finally {
      await revocations.close();
      await cache.close();
      await redis.dispose();
    }
  });

  test('an established subscription that drops stops listening at once, says so, and listens again (told) once Redis is back', async () => {
    const redis = await throwawayRedis();
    const cache = new RedisCache({ url: redis.url });
    const { lines, logger } = collectingLogger();
    const heard: string[] = [];
    const channel = new RevocationChannel({
      cache,
      logger,
      handlers: { logGrew: () => heard.push('log'), tokenRevoked: (d) => heard.push(d), subscriptionLost: () => heard.push('lost'), subscriptionRestored: () => heard.push('restored') },
    });
    try {
      await channel.start();
      expect(channel.listening).toBe(true);
      await redis.kill();
      expect(await eventually(async () => channel.listening, (v) => !v, 5_000, 20)).toBe(false);
      expect(heard).toEqual(['lost']);
      expect(lines.filter((l) => l.includes('lost the subscription to revocations'))).toHaveLength(1);

      await redis.start();
      expect(await eventually(async () => channel.listening, (v) => v, 10_000, 50)).toBe(true);
      expect(heard).toEqual(['lost', 'restored']);
      const digest = 'b'.repeat(64);
      // The subscriber connection may be back before the publishing one: publish once that one is too.
      const published = () => cache.publish(REVOCATION_CHANNEL, `token:${digest}`).then(() => true, () => false);
      expect(await eventually(published, (ok) => ok, 10_000, 50)).toBe(true);
      expect(await eventually(async () => heard, (h) => h.length > 2, 10_000, 20)).toEqual(['lost', 'restored', digest]);
    } finally {
      await channel.close();
      await cache.close();
      await redis.dispose();
    }
  });

  test('a frozen Redis (no socket closes) is noticed by the subscription check, and the channel listens again when it thaws', async () => {
    const redis = await throwawayRedis();
    const cache = new RedisCache({ url: redis.url });
    const heard: string[] = [];
    const channel = new RevocationChannel({
      cache,
      logger: createLogger('silent'),
      handlers: { logGrew: () => undefined, tokenRevoked: () => undefined, subscriptionLost: () => heard.push('lost'), subscriptionRestored: () => heard.push('restored') },
    });
    try {
      await channel.start();
      expect(channel.listening).toBe(true);
      redis.freeze();
      expect(await eventually(async () => channel.listening, (v) => !v, 10_000, 50)).toBe(false);
      redis.thaw();
      expect(await eventually(async () => channel.listening, (v) => v, 15_000, 50)).toBe(true);
      expect(heard).toEqual(['lost', 'restored']);
    } finally {
      redis.thaw();
      await channel.close();
      await cache.close();
      await redis.dispose();
    }
  });
});
