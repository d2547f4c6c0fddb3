import { form } from '../../helpers/gateway';
import { logWindow } from '../../helpers/log-window';
import { OAuth1Client, startOAuth1Gateway, type OAuth1Gateway } from '../../helpers/oauth1';
import { linesMatching, outageEnded, outageStarted, WARN } from '../../helpers/outage-log';
import { eventually, throwawayRedis, type ThrowawayRedis } from '../../helpers/redis';

// A Redis outage is told once when it starts and once with the count of refused requests when it
// ends; not as an error with a stack trace per 503. The node recovers without a restart.

let redis: ThrowawayRedis;
let gw: OAuth1Gateway;
let consumer: { key: string; secret: string };

beforeEach(async () => {
  redis = await throwawayRedis();
  gw = await startOAuth1Gateway({ cache: 'redis', redisUrl: redis.url });
  const profile = await gw.fixtures.profile('staff', ['api_access']);
  await gw.fixtures.user('alice', 'alice-password-1', { profile });
  await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password', public: true });
  consumer = await gw.consumer({ name: 'Signed' });
});

afterEach(async () => {
  await gw?.close();
  await redis?.dispose();
});

const passwordGrant = () => {
  const f = form({ grant_type: 'password', username: 'alice', password: 'alice-password-1', client_id: 'app' });
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers });
};

test('stopped Redis: 503s logged once at warn when it starts, once with their count when Redis is back; then answers again', async () => {
  expect((await passwordGrant()).status).toBe(200);
  const window = logWindow(gw);
  await redis.kill();
  const answers: number[] = [];
  for (let i = 0; i < 3; i += 1) answers.push((await passwordGrant()).status);
  for (let i = 0; i < 2; i += 1) answers.push((await new OAuth1Client(gw, consumer).send('POST', '/oauth/request_token', { oauth_callback: 'oob' })).status);
  expect(answers).toEqual([503, 503, 503, 503, 503]);

  const started = linesMatching(window, outageStarted('the shared cache (Redis)'));
  expect(started).toHaveLength(1);
  expect(started[0]!.level).toBe(WARN);
  expect(window.text()).not.toContain('"stack"');
  expect(window.text()).not.toContain('shared cache unavailable');

  await redis.start();
  const ended = await eventually(async () => linesMatching(window, outageEnded('the shared cache (Redis)')), (lines) => lines.length > 0, 20_000, 100);
  expect(ended).toHaveLength(1);
  expect(ended[0]).toMatchObject({ level: WARN, dependency: 'cache', refused: 5 });

  expect((await passwordGrant()).status).toBe(200);
  // This Redis came back empty: the first signed request notices the lost nonces, and a timestamp of
  // that very second is refused (see nonce-loss.test.ts); one signed a second later passes.
  const first = await new OAuth1Client(gw, consumer).send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
  expect([first.status, first.form.oauth_problem]).toEqual([401, 'timestamp_refused']);
  gw.clock.advance(1_000);
  expect((await new OAuth1Client(gw, consumer).send('POST', '/oauth/request_token', { oauth_callback: 'oob' })).status).toBe(200);
});
