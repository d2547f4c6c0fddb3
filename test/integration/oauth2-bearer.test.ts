import Router from '@koa/router';
import { requireBearer } from '../../src/oauth2';
import { randomUUID } from 'node:crypto';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { counterValue } from '../helpers/metrics';

// The bearer verifier (RFC 6750) through GET /oauth2/whoami and a route that needs a scope.

let gw: TestGateway;
let secret: string;
let ops: Awaited<ReturnType<TestGateway['fixtures']['profile']>>;

/** A route guarded by requireBearer with a scope, added to the real app as the proxy will be. */
const scopedRoute = (deps: Parameters<typeof requireBearer>[0]) => {
  const router = new Router();
  router.get('/test/needs-write', requireBearer(deps, { scopes: ['write'] }), (ctx) => {
    ctx.body = { ok: true };
  });
  return [router];
};

async function issue(values: Record<string, string>): Promise<string> {
  const f = form(values);
  const res = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret) } });
  expect(res.status).toBe(200);
  return res.json.access_token;
}

const userToken = (scope?: string) => issue({ grant_type: 'password', username: 'bea', password: 'bea-password-1', ...(scope ? { scope } : {}) });
const revoke = (token: string) => {
  const f = form({ token });
  return gw.request('/oauth2/revoke', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret) } });
};
const whoami = (headers: Record<string, string>, query = '') => gw.request(`/oauth2/whoami${query}`, { headers });

beforeAll(async () => {
  gw = await startTestGateway({ extraRouters: scopedRoute });
  ops = await gw.fixtures.profile('ops', ['api_access', 'guest_users']);
  const machine = await gw.fixtures.profile('machine', ['api_access', 'mac_list']);
  await gw.fixtures.user('bea', 'bea-password-1', { profile: ops });
  await gw.fixtures.user('ned', 'ned-password-1', { profile: ops });
  secret = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password,client_credentials', scopes: 'read,write', profile: machine.name })).secret!;
});

afterAll(async () => {
  await gw?.close();
});

test('whoami answers the identity of a user token, privileges from the user profile', async () => {
  const token = await userToken();
  const res = await whoami({ authorization: `Bearer ${token}` });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({
    protocol: 'oauth2',
    userId: expect.any(String),
    username: 'bea',
    clientId: 'app',
    scopes: ['read', 'write'],
    privileges: ['api_access', 'guest_users'],
    expiresAt: gw.clock() + 28800 * 1000,
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
});

test('a client_credentials token carries the client profile privileges and no user', async () => {
  const token = await issue({ grant_type: 'client_credentials' });
  const res = await whoami({ authorization: `Bearer ${token}` });
  expect(res.json).toMatchObject({ userId: null, username: null, clientId: 'app', privileges: ['api_access', 'mac_list'] });
});

test('no credential is 401 with a challenge naming only the realm', async () => {
  const res = await whoami({});
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="oauth-gateway"');
});

test('another scheme counts as no bearer credential', async () => {
  const res = await whoami({ authorization: 'Basic YTpi' });
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="oauth-gateway"');
});

test('an unknown token is 401 invalid_token', async () => {
  const res = await whoami({ authorization: 'Bearer bm90LWEtdG9rZW4' });
  expect(res.status).toBe(401);
  expect(res.json.error).toBe('invalid_token');
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="oauth-gateway", error="invalid_token", error_description="[^"]+"$/);
});

test('a malformed credential is 400 invalid_request', async () => {
  const res = await whoami({ authorization: 'Bearer two words' });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_request');
  expect(res.headers.get('www-authenticate')).toContain('error="invalid_request"');
});

test('a token in the query is ignored while bearerInQuery is off', async () => {
  const token = await userToken();
  const res = await whoami({}, `?access_token=${token}`);
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="oauth-gateway"');
});

test('a verified token is served from the process cache without touching the database', async () => {
  const token = await userToken();
  expect((await whoami({ authorization: `Bearer ${token}` })).status).toBe(200);
  const before = gw.storeCalls();
  for (let i = 0; i < 3; i++) expect((await whoami({ authorization: `Bearer ${token}` })).status).toBe(200);
  expect(gw.storeCalls()).toBe(before);
});

test('a cache miss does read the database (the counter above can see reads)', async () => {
  const token = await userToken();
  const before = gw.storeCalls();
  await whoami({ authorization: `Bearer ${token}` });
  expect(gw.storeCalls()).toBeGreaterThan(before);
});

test('an expired token is refused even while cached', async () => {
  const token = await userToken();
  expect((await whoami({ authorization: `Bearer ${token}` })).status).toBe(200);
  gw.clock.advance(28800 * 1000);
  const res = await whoami({ authorization: `Bearer ${token}` });
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
});

test('a revoked token is refused at once in the same process, though it was cached', async () => {
  const token = await userToken();
  expect((await whoami({ authorization: `Bearer ${token}` })).status).toBe(200);
  const revoked = await revoke(token);
  expect(revoked.status).toBe(200);
  expect((await whoami({ authorization: `Bearer ${token}` })).status).toBe(401);
});

test('a token of a user disabled since is refused on the next database check', async () => {
  const token = await issue({ grant_type: 'password', username: 'ned', password: 'ned-password-1' });
  // Straight in the database (the admin command also revokes the tokens: reason "revoked").
  await gw.deps.store.users.setEnabled('ned', false);
  const res = await whoami({ authorization: `Bearer ${token}` });
  expect([res.status, res.json.error]).toEqual([401, 'invalid_token']);
});

test('a token of a client disabled since is refused on the next database check', async () => {
  await gw.fixtures.client({ id: 'temp', name: 'Temp', grants: 'password', public: true });
  const f = form({ grant_type: 'password', username: 'bea', password: 'bea-password-1', client_id: 'temp' });
  const token = (await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers })).json.access_token;
  await gw.deps.store.clients.setEnabled('temp', false);
  expect((await whoami({ authorization: `Bearer ${token}` })).status).toBe(401);
});

test('a token without the scope a route needs is 403 insufficient_scope naming the scope', async () => {
  const token = await userToken('read');
  const res = await gw.request('/test/needs-write', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(403);
  expect(res.json.error).toBe('insufficient_scope');
  expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  expect(res.headers.get('www-authenticate')).toContain('scope="write"');
});

test('a token with the scope a route needs passes', async () => {
  const token = await userToken('write');
  const res = await gw.request('/test/needs-write', { headers: { authorization: `Bearer ${token}` } });
  expect([res.status, res.json]).toEqual([200, { ok: true }]);
});

const reasons = ['unknown', 'malformed', 'expired', 'revoked', 'user_disabled', 'insufficient_scope'];
const failuresByReason = async () =>
  Object.fromEntries(await Promise.all(reasons.map(async (reason) => [reason, await counterValue(gw, 'gateway_verification_failures_total', { protocol: 'oauth2', reason })])));

test('rejected credentials are counted by reason', async () => {
  const before = await failuresByReason();
  // One rejection of each reason, made here.
  await whoami({ authorization: 'Bearer bm90LWEtdG9rZW4' });
  await whoami({ authorization: 'Bearer two words' });
  const expiring = await userToken();
  gw.clock.advance(28800 * 1000);
  await whoami({ authorization: `Bearer ${expiring}` });
  const revoked = await userToken();
  expect((await revoke(revoked)).status).toBe(200);
  await whoami({ authorization: `Bearer ${revoked}` });
  const username = `gone-${randomUUID()}`;
  await gw.fixtures.user(username, 'gone-password-1', { profile: ops });
  const disabledToken = await issue({ grant_type: 'password', username, password: 'gone-password-1' });
  await gw.deps.store.users.setEnabled(username, false);
  await whoami({ authorization: `Bearer ${disabledToken}` });
  await gw.request('/test/needs-write', { headers: { authorization: `Bearer ${await userToken('read')}` } });

  const after = await failuresByReason();
  const text = await gw.deps.metrics.registry.getSingleMetricAsString('gateway_verification_failures_total');
  for (const reason of reasons) {
    expect(text).toContain(`protocol="oauth2",reason="${reason}"`);
    expect([reason, after[reason] - before[reason]]).toEqual([reason, 1]);
  }
});

test('no secret, password or token appears in the logs', async () => {
  const logs = logWindow(gw);
  const token = await userToken();
  expect((await whoami({ authorization: `Bearer ${token}` })).status).toBe(200);
  expect((await whoami({}, `?access_token=${token}`)).status).toBe(401);
  expect((await revoke(token)).status).toBe(200);
  expect((await whoami({ authorization: `Bearer ${token}` })).status).toBe(401);
  expect(logs.text()).toContain('/oauth2/whoami');
  expect(logs.leakedSecrets()).toEqual([]);
});

describe('with bearerInQuery on', () => {
  let q: TestGateway;
  let token: string;

  beforeAll(async () => {
    q = await startTestGateway({ config: { oauth2: { bearerInQuery: true } } });
    await q.fixtures.client({ id: 'm', name: 'Machine', grants: 'client_credentials' }).then(async ({ secret: s }) => {
      const f = form({ grant_type: 'client_credentials' });
      token = (await q.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('m', s!) } })).json.access_token;
    });
  });

  afterAll(async () => {
    await q?.close();
  });

  test('the access_token query parameter is accepted', async () => {
    expect((await q.request(`/oauth2/whoami?access_token=${token}`)).status).toBe(200);
  });

  test('a token both in the header and the query is 400 invalid_request', async () => {
    const res = await q.request(`/oauth2/whoami?access_token=${token}`, { headers: { authorization: `Bearer ${token}` } });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test('the query token never reaches the logs', async () => {
    const logs = logWindow(q);
    expect((await q.request(`/oauth2/whoami?access_token=${token}`)).status).toBe(200);
    expect((await q.request(`/oauth2/whoami?access_token=${token}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    expect(logs.text()).toContain('/oauth2/whoami');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});
