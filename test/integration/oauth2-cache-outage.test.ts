import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { throwawayRedis, type ThrowawayRedis } from '../helpers/redis';

// A Redis outage: requests that need the shared cache fail closed with 503, never a 500 and never
// a pass; tokens already verified keep working from the process cache.

let redis: ThrowawayRedis;
let gw: TestGateway;
let secret: string;

function token(values: Record<string, string>) {
  const f = form(values);
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret) } });
}

// Each test kills Redis: each gets a Redis and a gateway of its own.
beforeEach(async () => {
  redis = await throwawayRedis();
  gw = await startTestGateway({ cache: 'redis', redisUrl: redis.url });
  const profile = await gw.fixtures.profile('staff', ['api_access']);
  await gw.fixtures.user('otto', 'otto-password-1', { profile });
  secret = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password,client_credentials' })).secret!;
});

afterEach(async () => {
  await gw?.close();
  await redis?.dispose();
});

test('while Redis is down a password grant is 503 temporarily_unavailable, and a cached token still works', async () => {
  const issued = await token({ grant_type: 'password', username: 'otto', password: 'otto-password-1' });
  expect(issued.status).toBe(200);
  const whoami = () => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${issued.json.access_token}` } });
  expect((await whoami()).status).toBe(200);

  await redis.kill();
  const refused = await token({ grant_type: 'password', username: 'otto', password: 'otto-password-1' });
  expect(refused.status).toBe(503);
  expect(refused.json.error).toBe('temporarily_unavailable');
  expect(refused.headers.get('retry-after')).not.toBeNull();

  expect((await whoami()).status).toBe(200);
});

test('a revocation while Redis is down still takes effect on this node', async () => {
  const issued = await token({ grant_type: 'client_credentials' });
  expect(issued.status).toBe(200);
  const whoami = () => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${issued.json.access_token}` } });
  expect((await whoami()).status).toBe(200);
  await redis.kill();
  const f = form({ token: issued.json.access_token });
  const revoked = await gw.request('/oauth2/revoke', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret) } });
  expect(revoked.status).toBe(200);
  expect((await whoami()).status).toBe(401);
});

test('no secret, password or token appears in the logs', async () => {
  const logs = logWindow(gw);
  const issued = await token({ grant_type: 'password', username: 'otto', password: 'otto-password-1' });
  expect(issued.status).toBe(200);
  await redis.kill();
  expect((await token({ grant_type: 'password', username: 'otto', password: 'otto-password-1' })).status).toBe(503);
  expect((await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${issued.json.access_token}` } })).status).toBe(200);
  expect(logs.text()).toContain('/oauth2/token');
  expect(logs.leakedSecrets()).toEqual([]);
});
