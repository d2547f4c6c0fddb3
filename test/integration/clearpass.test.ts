import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';

// The ClearPass-compatible API, as the ClearPass guide (Getting Started, steps 5 and 6, appendix B) shows it.

const problemType = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html';
const byodPrivileges = ['#guest_sessions_history', '?api_index', 'api_access', 'create_multi', 'guest_users', 'mac_list'];

/** The request body of the guide's curl example, byte for byte. */
const seedBody = '{"grant_type": "password", "username": "qa", "password": "abc123", "client_id": "QuickAccess"}';

interface ClearPassGateway {
  gw: TestGateway;
  machineSecret: string;
  noAccessClientSecret: string;
}

/** A gateway with the guide's profiles, users and clients. */
async function startClearPassGateway(): Promise<ClearPassGateway> {
  const gw = await startTestGateway();
  const byod = await gw.fixtures.profile('BYOD Operator', byodPrivileges);
  const noApi = await gw.fixtures.profile('Guest Operator', ['guest_users']);
  await gw.fixtures.profile('Machine', ['api_access', 'mac_list']);
  // The guide's user: a six-character password, straight into the store.
  await gw.fixtures.user('qa', 'abc123', { profile: byod });
  await gw.fixtures.user('guest-op', 'guest-op-password', { profile: noApi });
  await gw.fixtures.client({ id: 'QuickAccess', name: 'API Access for the Aruba QuickAccess mobile App', grants: 'password', public: true, refresh: true, profile: 'BYOD Operator' });
  const machineSecret = (await gw.fixtures.client({ id: 'machine', name: 'Machine', grants: 'client_credentials', profile: 'Machine' })).secret!;
  const noAccessClientSecret = (await gw.fixtures.client({ id: 'no-access', name: 'No access', grants: 'client_credentials', profile: 'Guest Operator' })).secret!;
  return { gw, machineSecret, noAccessClientSecret };
}

let gw: TestGateway;
let machineSecret: string;
let noAccessClientSecret: string;

function apiOauth(body: string, headers: Record<string, string> = {}, on: TestGateway = gw) {
  return on.request('/api/oauth', { method: 'POST', body, headers: { 'Content-Type': 'application/json', Accept: '*/*', ...headers } });
}

function privileges(accessToken: string | null, headers: Record<string, string> = {}) {
  return gw.request('/api/oauth/privileges', {
    headers: { Accept: 'application/json', ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}), ...headers },
  });
}

beforeAll(async () => {
  ({ gw, machineSecret, noAccessClientSecret } = await startClearPassGateway());
});

afterAll(async () => {
  await gw?.close();
});

test('the guide curl example gets the guide response shape', async () => {
  const res = await apiOauth(seedBody);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(res.json)).toEqual(['access_token', 'expires_in', 'token_type', 'scope', 'refresh_token']);
  expect(res.json).toEqual({ access_token: expect.any(String), expires_in: 28800, token_type: 'Bearer', scope: null, refresh_token: expect.any(String) });
  expect(res.headers.get('cache-control')).toBe('no-store');
});

test('GET /api/oauth/privileges with that token lists the user profile privileges', async () => {
  const { json } = await apiOauth(seedBody);
  const res = await privileges(json.access_token);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ privileges: byodPrivileges });
});

test('refresh_token works through /api/oauth', async () => {
  const { json } = await apiOauth(seedBody);
  const res = await apiOauth(JSON.stringify({ grant_type: 'refresh_token', refresh_token: json.refresh_token, client_id: 'QuickAccess' }));
  expect(res.status).toBe(200);
  expect(res.json.refresh_token).not.toBe(json.refresh_token);
});

test('client_credentials works through /api/oauth, without a refresh token', async () => {
  const res = await apiOauth(JSON.stringify({ grant_type: 'client_credentials', client_id: 'machine', client_secret: machineSecret }));
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ access_token: expect.any(String), expires_in: 28800, token_type: 'Bearer', scope: null });
  expect((await privileges(res.json.access_token)).json).toEqual({ privileges: ['api_access', 'mac_list'] });
});

test('a token from /oauth2/token works on /api/oauth/privileges too', async () => {
  const f = form({ grant_type: 'client_credentials' });
  const issued = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('machine', machineSecret) } });
  expect((await privileges(issued.json.access_token)).status).toBe(200);
});

test('a bad client is a 400 Problem Details invalid_client, as in the guide appendix B', async () => {
  const res = await apiOauth(JSON.stringify({ grant_type: 'client_credentials', client_id: 'machine', client_secret: 'wrong' }));
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.json).toEqual({
    type: problemType,
    title: 'invalid_client',
    status: 400,
    detail: 'This client is invalid or must authenticate using a client secret.',
  });
});

test('a confidential client omitting its secret is the same invalid_client', async () => {
  const res = await apiOauth(JSON.stringify({ grant_type: 'client_credentials', client_id: 'machine' }));
  expect([res.status, res.json.title]).toEqual([400, 'invalid_client']);
});

test('a wrong password is a Problem Details invalid_grant', async () => {
  const res = await apiOauth(JSON.stringify({ grant_type: 'password', username: 'qa', password: 'abc124', client_id: 'QuickAccess' }));
  expect(res.json).toEqual({ type: problemType, title: 'invalid_grant', status: 400, detail: expect.any(String) });
});

test('bad JSON is a Problem Details invalid_request, never a 500', async () => {
  const res = await apiOauth('{"grant_type": "password",');
  expect(res.json).toMatchObject({ type: problemType, title: 'invalid_request', status: 400 });
});

test('a user whose profile lacks API access gets 403 Forbidden', async () => {
  const res = await apiOauth(JSON.stringify({ grant_type: 'password', username: 'guest-op', password: 'guest-op-password', client_id: 'QuickAccess' }));
  expect(res.status).toBe(403);
  expect(res.json).toEqual({ type: problemType, title: 'Forbidden', status: 403, detail: 'Client does not have \u2018Allow API Access\u2019 privilege' });
});

test('a client whose profile lacks API access gets 403 on client_credentials', async () => {
  const res = await apiOauth(JSON.stringify({ grant_type: 'client_credentials', client_id: 'no-access', client_secret: noAccessClientSecret }));
  expect([res.status, res.json.title]).toEqual([403, 'Forbidden']);
});

test('a token without API access is refused on /api/oauth/privileges with 403', async () => {
  const f = form({ grant_type: 'client_credentials' });
  const issued = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('no-access', noAccessClientSecret) } });
  const res = await privileges(issued.json.access_token);
  expect([res.status, res.json.title]).toEqual([403, 'Forbidden']);
});

test('an Accept header that excludes JSON is 406 on /api/oauth', async () => {
  const res = await apiOauth(seedBody, { Accept: 'text/html' });
  expect(res.status).toBe(406);
  expect(res.json).toEqual({ type: problemType, title: 'Not Acceptable', status: 406, detail: 'Cannot honor Accept type specified' });
});

test('an Accept header that excludes JSON is 406 on /api/oauth/privileges', async () => {
  const { json } = await apiOauth(seedBody);
  const res = await privileges(json.access_token, { Accept: 'application/xml' });
  expect([res.status, res.json.title]).toEqual([406, 'Not Acceptable']);
});

test('privileges without a token is 401 Problem Details with a Bearer challenge', async () => {
  const res = await privileges(null);
  expect(res.status).toBe(401);
  expect(res.json).toMatchObject({ type: problemType, status: 401 });
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="oauth-gateway"');
});

test('privileges with a bad token is 401 Problem Details invalid_token', async () => {
  const res = await privileges('bm90LWEtdG9rZW4');
  expect(res.status).toBe(401);
  expect(res.json).toMatchObject({ type: problemType, title: 'invalid_token', status: 401 });
  expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
});

test('repeated failures answer 429 Problem Details with Retry-After', async () => {
  // A gateway of its own: the lockout would refuse the other tests' password grants.
  const own = await startClearPassGateway();
  try {
    const attempt = () => apiOauth(JSON.stringify({ grant_type: 'password', username: 'qa', password: 'nope', client_id: 'QuickAccess' }), {}, own.gw);
    let res = await attempt();
    for (let i = 0; i < own.gw.deps.config.login.maxFailures && res.status !== 429; i++) res = await attempt();
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({ type: problemType, status: 429 });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  } finally {
    await own.gw.close();
  }
});

test('no secret, password or token appears in the logs', async () => {
  const logs = logWindow(gw);
  const issued = await apiOauth(seedBody);
  expect(issued.status).toBe(200);
  expect((await privileges(issued.json.access_token)).status).toBe(200);
  const refreshed = await apiOauth(JSON.stringify({ grant_type: 'refresh_token', refresh_token: issued.json.refresh_token, client_id: 'QuickAccess' }));
  expect(refreshed.status).toBe(200);
  const machine = await apiOauth(JSON.stringify({ grant_type: 'client_credentials', client_id: 'machine', client_secret: machineSecret }));
  expect(machine.status).toBe(200);
  expect((await apiOauth(JSON.stringify({ grant_type: 'client_credentials', client_id: 'machine', client_secret: 'wrong-' + machineSecret }))).status).toBe(400);
  expect((await apiOauth(JSON.stringify({ grant_type: 'password', username: 'qa', password: 'abc123-wrong', client_id: 'QuickAccess' }))).status).toBe(400);
  gw.remember('wrong-' + machineSecret, 'abc123-wrong');
  expect(logs.text()).toContain('/api/oauth');
  expect(logs.leakedSecrets()).toEqual([]);
});
