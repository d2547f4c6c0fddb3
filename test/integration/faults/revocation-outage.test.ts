import { disableClient } from '../../../src/accounts/admin';
import { basicAuth, form, startTestGateway, type TestGateway } from '../../helpers/gateway';
import { eventually, throwawayRedis, type ThrowawayRedis } from '../../helpers/redis';

// Two nodes on one database and one private redis-server. A token revoked on A while Redis is down
// (so A cannot announce it) must stop on B within about a second, stay stopped when Redis is back,
// and a token B had verified and cached before the outage must not come back from B's memory after
// it, even if B was never asked about it during the outage.

let redis: ThrowawayRedis;
let a: TestGateway;
let b: TestGateway;
let secret: string;

beforeEach(async () => {
  redis = await throwawayRedis();
  a = await startTestGateway({ cache: 'redis', redisUrl: redis.url, database: 'postgres' });
  b = await startTestGateway({ sharing: a });
  secret = (await a.fixtures.client({ id: 'svc', name: 'Service', grants: 'client_credentials' })).secret!;
});

afterEach(async () => {
  await b?.close();
  await a?.close();
  await redis?.dispose();
});

async function issue(): Promise<string> {
  const f = form({ grant_type: 'client_credentials' });
  const res = await a.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('svc', secret) } });
  expect(res.status).toBe(200);
  return res.json.access_token as string;
}

async function revokeOnA(token: string): Promise<void> {
  const f = form({ token });
  const res = await a.request('/oauth2/revoke', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('svc', secret) } });
  expect(res.status).toBe(200);
}

const whoami = (gw: TestGateway, token: string) => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

/** Until B answers the status (or ten seconds pass, room for a loaded machine; the log is read about once a second): B's answer. */
const bAnswers = (token: string, status: number) => eventually(() => whoami(b, token), (s) => s === status, 10_000, 25);

test('a token revoked on A while Redis is down is refused on B (its revocation log read), and still after Redis is back', async () => {
  const token = await issue();
  expect(await whoami(b, token)).toBe(200);
  expect(await whoami(b, token)).toBe(200); // now served from B's memory

  await redis.kill();
  expect(await eventually(async () => b.deps.revocations.channel.listening, (l) => !l, 10_000, 10)).toBe(false);
  await revokeOnA(token); // the announcement cannot go out
  expect(await bAnswers(token, 401)).toBe(401);

  await redis.start();
  expect(await eventually(async () => b.deps.revocations.channel.listening, (l) => l, 15_000, 50)).toBe(true);
  expect(await whoami(b, token)).toBe(401);
  expect(await whoami(a, token)).toBe(401);
});

test('a token B cached before the outage and revoked during it (B not asked meanwhile) is refused by B after the outage', async () => {
  const token = await issue();
  const untouched = await issue();
  expect(await whoami(b, untouched)).toBe(200);
  expect(await whoami(b, untouched)).toBe(200); // cached on B

  await redis.kill();
  expect(await eventually(async () => b.deps.revocations.channel.listening, (l) => !l, 10_000, 10)).toBe(false);
  await revokeOnA(untouched);
  expect(await whoami(b, token)).toBe(200); // B still serves what is valid, from the database

  await redis.start();
  expect(await eventually(async () => b.deps.revocations.channel.listening, (l) => l, 15_000, 50)).toBe(true);
  expect(await whoami(b, untouched)).toBe(401);
  // And caching works again once B listens: the valid token is served from memory again.
  expect(await whoami(b, token)).toBe(200);
  const calls = b.storeCalls();
  expect(await whoami(b, token)).toBe(200);
  expect(b.storeCalls()).toBe(calls);
});

test('a client disabled while Redis is down (the revocation log, no message) is refused on B', async () => {
  const token = await issue();
  expect(await whoami(b, token)).toBe(200);
  expect(await whoami(b, token)).toBe(200); // cached on B

  await redis.kill();
  await disableClient(a.deps, 'svc'); // the wake-up message cannot go out; the log entry is committed
  expect(await bAnswers(token, 401)).toBe(401);

  await redis.start();
  expect(await eventually(async () => b.deps.revocations.channel.listening, (l) => l, 15_000, 50)).toBe(true);
  expect(await whoami(b, token)).toBe(401);
});
