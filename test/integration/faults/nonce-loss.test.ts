import { logWindow } from '../../helpers/log-window';
import { OAuth1Client, sendPrepared, startOAuth1Gateway, xauthAccess, type OAuth1Gateway, type Token } from '../../helpers/oauth1';
import { eventually, throwawayRedis, type ThrowawayRedis } from '../../helpers/redis';

// A Redis without persistence forgets every spent nonce when it restarts. The gateway notices (its
// marker key is gone) and refuses, for one timestamp window, timestamps from before the moment it
// noticed: a request signed and used before the restart cannot be replayed after it, while a
// freshly signed one passes.

const alice = { username: 'alice', password: 'alice-password-1' };

let redis: ThrowawayRedis;
let a: OAuth1Gateway;
let client: OAuth1Client;
let token: Token;

beforeEach(async () => {
  redis = await throwawayRedis(); // --save "" --appendonly no: a restart loses everything
  a = await startOAuth1Gateway({ cache: 'redis', redisUrl: redis.url });
  await a.fixtures.user(alice.username, alice.password);
  client = new OAuth1Client(a, await a.consumer({ name: 'Replayer', xauth: true }));
  ({ token } = await xauthAccess(client, alice));
});

afterEach(async () => {
  await a?.close();
  await redis?.dispose();
});

/** Restarts the private Redis empty and waits until the gateway's connection is back. */
async function restartRedisEmpty(): Promise<void> {
  await redis.kill();
  await redis.start();
  expect(await eventually(() => a.deps.cache.ping(), (ok) => ok, 15_000, 50)).toBe(true);
}

test('a request used before a Redis restart is refused when replayed after it (timestamp_refused); a fresh one is accepted', async () => {
  const used = client.prepare('GET', '/oauth/whoami', {}, token);
  expect((await sendPrepared(used)).status).toBe(200);
  expect((await sendPrepared(used)).form.oauth_problem).toBe('nonce_used');
  a.clock.advance(2_000); // time passes: the replay's timestamp is two seconds old, well inside the window

  const window = logWindow(a);
  await restartRedisEmpty();
  const replay = await sendPrepared(used);
  expect(replay.status).toBe(401);
  expect(replay.form.oauth_problem).toBe('timestamp_refused');
  const [oldest] = replay.form.oauth_acceptable_timestamps!.split('-').map(Number);
  // The second in which the loss was noticed counts as before it (timestamps are whole seconds).
  expect(oldest).toBe(Math.floor(a.clock() / 1000) + 1);
  expect(window.text()).toContain('lost its record of used nonces');
  const sameSecond = await client.whoami(token);
  expect(sameSecond.form.oauth_problem).toBe('timestamp_refused');

  a.clock.advance(1_000);
  const fresh = await client.whoami(token);
  expect(fresh.status).toBe(200);
  // The new marker is in place: the next fresh request is no new loss.
  expect((await client.whoami(token)).status).toBe(200);
  expect(window.text().match(/lost its record of used nonces/g)).toHaveLength(1);

  // One window later, old timestamps are simply outside the window.
  a.clock.advance(301_000);
  const stale = await sendPrepared(used);
  expect(stale.form.oauth_problem).toBe('timestamp_refused');
});

test('a second node adopts the loss the first one noticed: the replay is refused there too', async () => {
  const b = await startOAuth1Gateway({ sharing: a });
  try {
    const clientOnB = new OAuth1Client(b, client.consumer);
    const used = clientOnB.prepare('GET', '/oauth/whoami', {}, token);
    expect((await sendPrepared(used)).status).toBe(200);
    a.clock.advance(2_000); // one clock for both nodes

    await restartRedisEmpty();
    expect(await eventually(() => b.deps.cache.ping(), (ok) => ok, 15_000, 50)).toBe(true);
    // A notices first (any signed request there; signed in the very second of the notice, it is
    // refused too), B then reads A's marker.
    expect((await client.whoami(token)).form.oauth_problem).toBe('timestamp_refused');
    a.clock.advance(1_000);
    const replayOnB = await sendPrepared(used);
    expect(replayOnB.status).toBe(401);
    expect(replayOnB.form.oauth_problem).toBe('timestamp_refused');
    expect((await clientOnB.whoami(token)).status).toBe(200);
  } finally {
    await b.close();
  }
});

test('a gateway started on an empty Redis refuses nothing: no nonce was lost', async () => {
  const now = Math.floor(a.clock() / 1000);
  expect((await client.whoami(token, { timestamp: now - 299 })).status).toBe(200);
});
