import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { eventually } from '../helpers/redis';

// Introspection (RFC 7662) and revocation (RFC 7009), and revocation reaching a second gateway
// node through the real Redis.

let a: TestGateway;
let b: TestGateway;
let secret: string;
let otherSecret: string;

function call(gw: TestGateway, path: string, values: Record<string, string>, authorization?: string) {
  const f = form(values);
  return gw.request(path, { method: 'POST', body: f.body, headers: { ...f.headers, ...(authorization ? { authorization } : {}) } });
}

const asApp = () => basicAuth('app', secret);
const introspect = (values: Record<string, string>, auth = asApp()) => call(a, '/oauth2/introspect', values, auth);
const revoke = (values: Record<string, string>, auth = asApp()) => call(a, '/oauth2/revoke', values, auth);

async function login(): Promise<{ access_token: string; refresh_token: string }> {
  const res = await call(a, '/oauth2/token', { grant_type: 'password', username: 'ivy', password: 'ivy-password-1' }, asApp());
  expect(res.status).toBe(200);
  return res.json;
}

beforeAll(async () => {
  a = await startTestGateway({ cache: 'redis' });
  b = await startTestGateway({ cache: 'redis', sharing: a });
  const profile = await a.fixtures.profile('staff', ['api_access']);
  await a.fixtures.user('ivy', 'ivy-password-1', { profile });
  secret = (await a.fixtures.client({ id: 'app', name: 'App', grants: 'password,client_credentials,refresh_token', scopes: 'read,write' })).secret!;
  otherSecret = (await a.fixtures.client({ id: 'other', name: 'Other', grants: 'client_credentials' })).secret!;
  await a.fixtures.client({ id: 'pub', name: 'Public', grants: 'password,refresh_token', public: true });
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('introspection', () => {
  test('an active access token is described', async () => {
    const { access_token } = await login();
    const res = await introspect({ token: access_token });
    expect(res.status).toBe(200);
    const now = Math.floor(a.clock() / 1000);
    expect(res.json).toEqual({
      active: true,
      client_id: 'app',
      username: 'ivy',
      sub: expect.any(String),
      scope: 'read write',
      exp: now + 28800,
      iat: now,
      token_type: 'Bearer',
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('a refresh token is introspectable too', async () => {
    const { refresh_token } = await login();
    const res = await introspect({ token: refresh_token, token_type_hint: 'refresh_token' });
    expect(res.json).toMatchObject({ active: true, client_id: 'app', username: 'ivy', scope: 'read write' });
  });

  test('a wrong hint only changes the lookup order', async () => {
    const { refresh_token } = await login();
    expect((await introspect({ token: refresh_token, token_type_hint: 'access_token' })).json.active).toBe(true);
  });

  test('an unknown token is inactive', async () => {
    expect((await introspect({ token: 'nope' })).json).toEqual({ active: false });
  });

  test('an expired token is inactive', async () => {
    const res = await call(a, '/oauth2/token', { grant_type: 'client_credentials' }, asApp());
    a.clock.advance(28800 * 1000);
    expect((await introspect({ token: res.json.access_token })).json).toEqual({ active: false });
  });

  test('another client token is inactive for this caller', async () => {
    const { access_token } = await login();
    expect((await introspect({ token: access_token }, basicAuth('other', otherSecret))).json).toEqual({ active: false });
  });

  test('a public client may not introspect', async () => {
    const res = await call(a, '/oauth2/introspect', { token: 'x', client_id: 'pub' });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });

  test('an unauthenticated caller is invalid_client', async () => {
    const res = await call(a, '/oauth2/introspect', { token: 'x' });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="oauth-gateway"');
  });

  test('a missing token parameter is invalid_request', async () => {
    const res = await introspect({});
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });
});

describe('revocation', () => {
  test('an unknown token answers 200', async () => {
    expect((await revoke({ token: 'never-issued' })).status).toBe(200);
  });

  test('a revoked access token introspects inactive', async () => {
    const { access_token } = await login();
    expect((await revoke({ token: access_token, token_type_hint: 'access_token' })).status).toBe(200);
    expect((await introspect({ token: access_token })).json).toEqual({ active: false });
  });

  test('revoking an access token leaves its refresh token alone', async () => {
    const { access_token, refresh_token } = await login();
    await revoke({ token: access_token });
    expect((await introspect({ token: refresh_token })).json.active).toBe(true);
  });

  test('revoking a refresh token revokes its family, access tokens included', async () => {
    const first = await login();
    const second = (await call(a, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, asApp())).json;
    expect((await revoke({ token: second.refresh_token, token_type_hint: 'refresh_token' })).status).toBe(200);
    expect((await introspect({ token: second.refresh_token })).json.active).toBe(false);
    expect((await introspect({ token: second.access_token })).json.active).toBe(false);
    expect((await introspect({ token: first.access_token })).json.active).toBe(false);
  });

  test('a client cannot revoke another client token', async () => {
    const { access_token } = await login();
    expect((await revoke({ token: access_token }, basicAuth('other', otherSecret))).status).toBe(200);
    expect((await introspect({ token: access_token })).json.active).toBe(true);
  });

  test('an unsupported token_type_hint is ignored, the token still revoked', async () => {
    const { access_token } = await login();
    expect((await revoke({ token: access_token, token_type_hint: 'id_token' })).status).toBe(200);
    expect((await introspect({ token: access_token })).json.active).toBe(false);
  });

  test('a public client revokes its own tokens with its client_id', async () => {
    const issued = (await call(a, '/oauth2/token', { grant_type: 'password', username: 'ivy', password: 'ivy-password-1', client_id: 'pub' })).json;
    expect((await call(a, '/oauth2/revoke', { token: issued.refresh_token, client_id: 'pub' })).status).toBe(200);
    const refreshed = await call(a, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: 'pub' });
    expect(refreshed.json.error).toBe('invalid_grant');
  });

  test('an unauthenticated revocation is invalid_client', async () => {
    const res = await call(a, '/oauth2/revoke', { token: 'x' });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });
});

describe('two gateway nodes sharing Redis', () => {
  test('a token revoked on one node is refused by the other, which had it cached', async () => {
    const { access_token } = await login();
    const onB = () => b.request('/oauth2/whoami', { headers: { authorization: `Bearer ${access_token}` } });
    expect((await onB()).status).toBe(200);
    const before = b.storeCalls();
    expect((await onB()).status).toBe(200);
    expect(b.storeCalls()).toBe(before); // served from B's cache: only pub/sub can tell B now

    expect((await revoke({ token: access_token })).status).toBe(200);
    const last = await eventually(async () => (await onB()).status, (status) => status === 401, 10_000, 25);
    expect(last).toBe(401);
  });

  test('a replayed refresh token on one node evicts the family on the other', async () => {
    const first = await login();
    const second = (await call(a, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, asApp())).json;
    const onB = () => b.request('/oauth2/whoami', { headers: { authorization: `Bearer ${second.access_token}` } });
    expect((await onB()).status).toBe(200);
    // Past the reuse grace period (oauth2.refreshReuseGraceSeconds), the reuse is a replay.
    a.clock.advance(a.deps.config.oauth2.refreshReuseGraceSeconds * 1000);
    await call(a, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, asApp());
    expect(await eventually(async () => (await onB()).status, (s) => s === 401, 10_000, 25)).toBe(401);
  });
});

test('no secret, password or token appears in the logs of either node', async () => {
  const logsA = logWindow(a);
  const logsB = logWindow(b);
  const { access_token, refresh_token } = await login();
  expect((await introspect({ token: refresh_token })).json.active).toBe(true);
  const onB = () => b.request('/oauth2/whoami', { headers: { authorization: `Bearer ${access_token}` } });
  expect((await onB()).status).toBe(200);
  expect((await revoke({ token: access_token })).status).toBe(200);
  expect(await eventually(async () => (await onB()).status, (status) => status === 401, 10_000, 25)).toBe(401);
  expect(logsA.text()).toContain('/oauth2/revoke');
  expect(logsB.text()).toContain('/oauth2/whoami');
  expect(logsA.leakedSecrets(b.secrets())).toEqual([]);
  expect(logsB.leakedSecrets(a.secrets())).toEqual([]);
});
