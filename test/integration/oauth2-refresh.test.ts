import { setUserEnabled } from '../../src/accounts/admin';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';

// Refresh-token rotation, replay detection and family revocation, on both databases: the race for
// one refresh token is decided by the database, and SQLite and PostgreSQL decide it differently.

describe.each(['sqlite', 'postgres'] as const)('refresh tokens on %s', (database) => {
  let gw: TestGateway;
  let secret: string;
  let otherSecret: string;
  const password = 'rita-password-1';

  function token(values: Record<string, string>, clientId = 'app', clientSecret = secret) {
    const f = form(values);
    return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(clientId, clientSecret) } });
  }

  async function login(scope?: string) {
    const res = await token({ grant_type: 'password', username: 'rita', password, ...(scope ? { scope } : {}) });
    expect(res.status).toBe(200);
    return res.json as { access_token: string; refresh_token: string; scope: string };
  }

  const whoami = (accessToken: string) => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${accessToken}` } });

  beforeAll(async () => {
    // Strict rotation: every reuse is a replay. The reuse grace period has its own suite
    // (oauth2-refresh-grace.test.ts).
    gw = await startTestGateway({ database, config: { oauth2: { refreshReuseGraceSeconds: 0 } } });
    const profile = await gw.fixtures.profile('staff', ['api_access']);
    await gw.fixtures.user('rita', password, { profile });
    await gw.fixtures.user('sam', 'sam-password-1', { profile });
    secret = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password,refresh_token', scopes: 'read,write', refreshTtl: '600' })).secret!;
    await gw.fixtures.client({ id: 'pubapp', name: 'Public app', grants: 'password,refresh_token', public: true, scopes: 'read,write' });
    otherSecret = (await gw.fixtures.client({ id: 'other', name: 'Other', grants: 'password,refresh_token', scopes: 'read,write' })).secret!;
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('a refresh rotates: new access and refresh tokens, the old refresh token retired', async () => {
    const first = await login();
    const res = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(res.status).toBe(200);
    expect(res.json.refresh_token).toEqual(expect.any(String));
    expect(res.json.refresh_token).not.toBe(first.refresh_token);
    expect(res.json.access_token).not.toBe(first.access_token);
    expect(res.json.scope).toBe('read write');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('using a rotated refresh token again revokes the whole family, access tokens included', async () => {
    const first = await login();
    const second = (await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).json;
    expect((await whoami(second.access_token)).status).toBe(200); // cached now: revocation must evict it

    const replay = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);

    expect((await token({ grant_type: 'refresh_token', refresh_token: second.refresh_token })).json.error).toBe('invalid_grant');
    expect((await whoami(first.access_token)).status).toBe(401);
    expect((await whoami(second.access_token)).status).toBe(401);
  });

  // The public client skips scrypt, so its five requests reach the database closest together.
  test.each([
    ['a confidential', 'app'],
    ['a public', 'pubapp'],
  ])('five concurrent refreshes with one token of %s client: exactly one success, the rest invalid_grant, never a 500', async (_label, clientId) => {
    const send = (values: Record<string, string>) => {
      if (clientId === 'app') return token(values);
      const f = form({ ...values, client_id: clientId });
      return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers });
    };
    const first = (await send({ grant_type: 'password', username: 'rita', password })).json;
    const results = await Promise.all(Array.from({ length: 5 }, () => send({ grant_type: 'refresh_token', refresh_token: first.refresh_token })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400]);
    for (const r of results.filter((x) => x.status === 400)) expect(r.json.error).toBe('invalid_grant');

    // The losers were replays: the winner's tokens belong to the revoked family too.
    const winner = results.find((r) => r.status === 200)!.json;
    expect((await send({ grant_type: 'refresh_token', refresh_token: winner.refresh_token })).json.error).toBe('invalid_grant');
    expect((await whoami(winner.access_token)).status).toBe(401);
    expect((await whoami(first.access_token)).status).toBe(401);
  });

  test('a refresh may narrow the scope', async () => {
    const first = await login();
    const res = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'read' });
    expect([res.status, res.json.scope]).toEqual([200, 'read']);
  });

  test('the refresh token keeps the original scope after a narrowed refresh', async () => {
    const first = await login();
    const narrowed = (await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'read' })).json;
    const again = await token({ grant_type: 'refresh_token', refresh_token: narrowed.refresh_token });
    expect([again.status, again.json.scope]).toEqual([200, 'read write']);
  });

  test('a refresh may not widen the scope', async () => {
    const first = await login('read');
    const res = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'read write' });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_scope']);
  });

  test('a refresh token is bound to its client', async () => {
    const first = await login();
    const stolen = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }, 'other', otherSecret);
    expect([stolen.status, stolen.json.error]).toEqual([400, 'invalid_grant']);
    // Refused, not consumed: the rightful client can still use it.
    expect((await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).status).toBe(200);
  });

  test('an unknown refresh token is invalid_grant', async () => {
    const res = await token({ grant_type: 'refresh_token', refresh_token: 'not-a-token' });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('a missing refresh_token parameter is invalid_request', async () => {
    const res = await token({ grant_type: 'refresh_token' });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test('a refresh token expires after the client refresh lifetime', async () => {
    const first = await login();
    gw.clock.advance(600_000);
    const res = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('a refresh for a user disabled since is invalid_grant', async () => {
    const res0 = await token({ grant_type: 'password', username: 'sam', password: 'sam-password-1' });
    await setUserEnabled(gw.deps, 'sam', false);
    const res = await token({ grant_type: 'refresh_token', refresh_token: res0.json.refresh_token });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('no secret, password or token appears in the logs', async () => {
    const logs = logWindow(gw);
    const first = await login();
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    expect((await whoami(second.json.access_token)).status).toBe(200);
    // A replay revokes the family.
    expect((await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).status).toBe(400);
    expect(logs.text()).toContain('/oauth2/token');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});
