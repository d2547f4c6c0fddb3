import { Writable } from 'node:stream';
import { manualClock } from '../../src/clock';
import { createLogger } from '../../src/http/logger';
import { RevocationFeed } from '../../src/revocation';
import { MemoryRevocationLog } from '../helpers/revocation-log';
import { eventually } from '../helpers/redis';

// A node's view of the revocation log, over an in-memory log (the channel that wakes it: revocation-channel.test.ts).

const alice = { protocol: 'oauth2' as const, userId: 'alice', clientId: 'web' };
const oauth1Alice = { protocol: 'oauth1' as const, userId: 'alice', clientId: 'ck' };
const machine = { protocol: 'oauth2' as const, userId: null, clientId: 'svc' };

function setup(pollIntervalMs = 60_000) {
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const log = new MemoryRevocationLog();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const feed = new RevocationFeed({ log, clock, logger: createLogger('info', sink), pollIntervalMs });
  return { clock, log, feed, lines, close: () => feed.close() };
}

test('it starts at the end of the log: what was revoked before is in the database already', async () => {
  const { log, feed, close } = setup();
  log.append('user', 'alice');
  await feed.start();
  expect(feed.seen).toBe(1);
  expect(feed.revokedAfter(alice, 0)).toBe(false);
  await close();
});

test('a user revoked after a position ends what was cached at it, for both protocols', async () => {
  const { log, feed, close } = setup();
  await feed.start();
  const seen = feed.seen;
  log.append('user', 'alice');
  expect(feed.revokedAfter(alice, seen)).toBe(false); // not read yet
  await feed.catchUp();
  expect(feed.revokedAfter(alice, seen)).toBe(true);
  expect(feed.revokedAfter(oauth1Alice, seen)).toBe(true);
  expect(feed.revokedAfter(alice, feed.seen)).toBe(false); // cached after the revocation was read
  expect(feed.revokedAfter(machine, seen)).toBe(false);
  await close();
});

test('a client revocation concerns OAuth 2.0 credentials of that client, a consumer revocation OAuth 1.0a ones', async () => {
  const { log, feed, close } = setup();
  await feed.start();
  const seen = feed.seen;
  log.append('client', 'svc');
  log.append('consumer', 'web'); // a consumer key that happens to equal a client_id
  await feed.catchUp();
  expect(feed.revokedAfter(machine, seen)).toBe(true);
  expect(feed.revokedAfter(alice, seen)).toBe(false);
  expect(feed.revokedAfter({ protocol: 'oauth1', userId: 'bob', clientId: 'web' }, seen)).toBe(true);
  await close();
});

test('a token entry ends only the credential with that digest, of either protocol', async () => {
  const { log, feed, close } = setup();
  await feed.start();
  const seen = feed.seen;
  const digest = 'ab'.repeat(32);
  log.append('token', digest);
  await feed.catchUp();
  expect(feed.revokedAfter(alice, seen, digest)).toBe(true);
  expect(feed.revokedAfter(oauth1Alice, seen, digest)).toBe(true);
  expect(feed.revokedAfter(alice, seen, 'cd'.repeat(32))).toBe(false); // the user's other tokens stay
  expect(feed.revokedAfter(alice, seen)).toBe(false);
  expect(feed.revokedAfter(alice, feed.seen, digest)).toBe(false); // looked up after the entry was read
  await close();
});

test('it reads the log by itself, every interval', async () => {
  const { log, feed, close } = setup(20);
  await feed.start();
  const seen = feed.seen;
  log.append('user', 'alice');
  expect(await eventually(async () => feed.revokedAfter(alice, seen), (v) => v, 10_000, 10)).toBe(true);
  await close();
});

test('concurrent reads share one database read, then one more for what came meanwhile', async () => {
  const { log, feed, close } = setup();
  await feed.start();
  const before = log.reads;
  const seen = feed.seen;
  log.append('user', 'alice');
  await Promise.all([feed.catchUp(), feed.catchUp(), feed.catchUp()]);
  await eventually(async () => log.reads - before, (n) => n === 2, 10_000, 5);
  expect(log.reads - before).toBe(2);
  expect(feed.revokedAfter(alice, seen)).toBe(true);
  await close();
});

test('a failing read keeps what is known, says so once, and catches up when the log answers again', async () => {
  const { log, feed, lines, close } = setup();
  await feed.start();
  const seen = feed.seen;
  log.failWith = new Error('database down');
  log.append('user', 'alice');
  await feed.catchUp();
  await feed.catchUp();
  expect(feed.revokedAfter(alice, seen)).toBe(false);
  expect(lines.filter((l) => l.includes('cannot read the revocation log'))).toHaveLength(1);
  log.failWith = null;
  await feed.catchUp();
  expect(feed.revokedAfter(alice, seen)).toBe(true);
  expect(lines.some((l) => l.includes('reading the revocation log again'))).toBe(true);
  await close();
});

test('a revocation is remembered for two minutes, longer than any cached credential lives', async () => {
  const { log, feed, clock, close } = setup();
  await feed.start();
  const seen = feed.seen;
  log.append('user', 'alice');
  await feed.catchUp();
  clock.advance(119_000);
  await feed.catchUp();
  expect(feed.revokedAfter(alice, seen)).toBe(true);
  clock.advance(2_000);
  await feed.catchUp();
  expect(feed.revokedAfter(alice, seen)).toBe(false);
  await close();
});

test('after close it reads nothing more', async () => {
  const { log, feed, close } = setup(10);
  await feed.start();
  await close();
  const reads = log.reads;
  log.append('user', 'alice');
  await feed.catchUp();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(log.reads).toBe(reads);
});
