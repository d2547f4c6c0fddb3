import { randomUUID } from 'node:crypto';
import { setUserEnabled } from '../../src/accounts/admin';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { counterValue } from '../helpers/metrics';

// Every grant of POST /oauth2/token end to end over real HTTP, and every refusal the issue lists.

let gw: TestGateway;
let confSecret: string;
let ccSecret: string;
let norefreshSecret: string;
let offSecret: string;
let ops: Awaited<ReturnType<TestGateway['fixtures']['profile']>>;
let nextAddress = 1;

const alicePassword = 'alice-password-1';

/** A fresh client address per test (the gateway trusts 127.0.0.1 as a proxy), so lockout counters don't leak between tests. */
function address(): string {
  return `198.51.100.${nextAddress++}`;
}

function post(values: Record<string, string>, headers: Record<string, string> = {}) {
  const f = form(values);
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, 'x-forwarded-for': address(), ...headers } });
}

function postJson(body: string, headers: Record<string, string> = {}) {
  return gw.request('/oauth2/token', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address(), ...headers },
  });
}

/** A user of one test alone: failures count per username, so a test that fails logins locks out only its own user. */
async function ownUser(options: { enabled?: boolean } = {}): Promise<{ username: string; password: string }> {
  const username = `user-${randomUUID().slice(0, 8)}`;
  const password = `${username}-password`;
  await gw.fixtures.user(username, password, { profile: ops, ...options });
  return { username, password };
}

beforeAll(async () => {
  gw = await startTestGateway({ config: { server: { trustedProxies: ['127.0.0.1'] }, login: { maxFailures: 3, maxFailuresPerAddress: 5, lockSeconds: 300 } } });
  ops = await gw.fixtures.profile('ops', ['api_access', 'read_things']);
  await gw.fixtures.user('alice', alicePassword, { profile: ops });
  await gw.fixtures.user('dora', 'dora-password-1', { profile: ops, enabled: false });
  await gw.fixtures.user('lou', 'lou-password-1', { profile: ops });
  confSecret = (await gw.fixtures.client({ id: 'conf', name: 'Confidential', grants: 'password,client_credentials,refresh_token', scopes: 'read,write', profile: 'ops' })).secret!;
  await gw.fixtures.client({ id: 'pub', name: 'Public', grants: 'password,refresh_token', public: true, scopes: 'read' });
  ccSecret = (await gw.fixtures.client({ id: 'cc-only', name: 'Machine', grants: 'client_credentials', accessTtl: '120' })).secret!;
  norefreshSecret = (await gw.fixtures.client({ id: 'norefresh', name: 'No refresh', grants: 'password', scopes: 'read' })).secret!;
  offSecret = (await gw.fixtures.client({ id: 'off', name: 'Disabled', grants: 'client_credentials' })).secret!;
  await gw.deps.store.clients.setEnabled('off', false);
});

afterAll(async () => {
  await gw?.close();
});

describe('client authentication', () => {
  test('client_credentials with HTTP Basic issues a bearer token without refresh token', async () => {
    const res = await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('conf', confSecret) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 28800, scope: 'read write' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
  });

  test('client_secret in the form body authenticates too', async () => {
    const res = await post({ grant_type: 'client_credentials', client_id: 'conf', client_secret: confSecret });
    expect(res.status).toBe(200);
  });

  test('a JSON body is accepted', async () => {
    const res = await postJson(JSON.stringify({ grant_type: 'client_credentials', client_id: 'conf', client_secret: confSecret }));
    expect(res.status).toBe(200);
  });

  test('a wrong secret is 401 invalid_client with a Basic challenge', async () => {
    const res = await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('conf', 'wrong') });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_client');
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="oauth-gateway"');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('an unknown client gets exactly the answer a wrong secret gets', async () => {
    const wrong = await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('conf', 'wrong') });
    const unknown = await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('nobody', 'wrong') });
    expect([unknown.status, unknown.text, unknown.headers.get('www-authenticate')]).toEqual([
      wrong.status,
      wrong.text,
      wrong.headers.get('www-authenticate'),
    ]);
  });

  test('credentials in both the header and the body are invalid_request', async () => {
    const res = await post({ grant_type: 'client_credentials', client_secret: confSecret }, { authorization: basicAuth('conf', confSecret) });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test('a confidential client sending only its client_id is invalid_client', async () => {
    const res = await post({ grant_type: 'client_credentials', client_id: 'conf' });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });

  test('a disabled client is invalid_client', async () => {
    const res = await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('off', offSecret) });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });

  test('a request naming no client is invalid_client', async () => {
    const res = await post({ grant_type: 'client_credentials' });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });

  test('a public client presenting a secret is invalid_client', async () => {
    const res = await post({ grant_type: 'password', username: 'alice', password: alicePassword, client_id: 'pub', client_secret: 'x' });
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
  });
});

describe('password grant', () => {
  test('a public client sending only client_id gets an access and a refresh token', async () => {
    const res = await post({ grant_type: 'password', username: 'alice', password: alicePassword, client_id: 'pub' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 28800,
      refresh_token: expect.any(String),
      scope: 'read',
    });
  });

  test('the username is matched without regard to case', async () => {
    const res = await post({ grant_type: 'password', username: 'ALICE', password: alicePassword, client_id: 'pub' });
    expect(res.status).toBe(200);
  });

  test('a client without refresh tokens gets none', async () => {
    const res = await post({ grant_type: 'password', username: 'alice', password: alicePassword }, { authorization: basicAuth('norefresh', norefreshSecret) });
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('refresh_token');
  });

  test('a wrong password and an unknown user get the same invalid_grant', async () => {
    const { username } = await ownUser();
    const wrong = await post({ grant_type: 'password', username, password: 'not-it', client_id: 'pub' });
    const unknown = await post({ grant_type: 'password', username: 'nobody', password: 'not-it', client_id: 'pub' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe('invalid_grant');
    expect([unknown.status, unknown.text]).toEqual([wrong.status, wrong.text]);
  });

  test('a disabled user gets the same invalid_grant as a wrong password', async () => {
    const disabled = await post({ grant_type: 'password', username: 'dora', password: 'dora-password-1', client_id: 'pub' });
    const { username } = await ownUser();
    const wrong = await post({ grant_type: 'password', username, password: 'not-it', client_id: 'pub' });
    expect([disabled.status, disabled.text]).toEqual([wrong.status, wrong.text]);
  });

  test('a missing password is invalid_request', async () => {
    const res = await post({ grant_type: 'password', username: 'alice', client_id: 'pub' });
    expect([res.status, res.json]).toEqual([400, { error: 'invalid_request', error_description: 'Missing parameter: password.' }]);
  });

  test('repeated failures lock the username out with 429 and Retry-After, even for the right password', async () => {
    const from = address();
    for (let i = 0; i < 3; i++) {
      const res = await post({ grant_type: 'password', username: 'lou', password: 'wrong', client_id: 'pub' }, { 'x-forwarded-for': from });
      expect(res.status).toBe(400);
    }
    const locked = await post({ grant_type: 'password', username: 'lou', password: 'lou-password-1', client_id: 'pub' });
    expect(locked.status).toBe(429);
    expect(locked.json.error).toBe('invalid_request');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('the lock lifts after the configured lock time', async () => {
    const { username, password } = await ownUser();
    const from = address();
    for (let i = 0; i < 3; i++) {
      await post({ grant_type: 'password', username, password: 'wrong', client_id: 'pub' }, { 'x-forwarded-for': from });
    }
    expect((await post({ grant_type: 'password', username, password, client_id: 'pub' })).status).toBe(429);
    gw.clock.advance(300_000);
    expect((await post({ grant_type: 'password', username, password, client_id: 'pub' })).status).toBe(200);
  });

  test('failures below the address limit lock only the username that failed, not its neighbours behind the same address', async () => {
    const from = address();
    for (let i = 0; i < 3; i++) {
      await post({ grant_type: 'password', username: 'nat-neighbour', password: 'wrong', client_id: 'pub' }, { 'x-forwarded-for': from });
    }
    const neighbour = await post({ grant_type: 'password', username: 'nat-neighbour', password: 'wrong', client_id: 'pub' }, { 'x-forwarded-for': from });
    expect(neighbour.status).toBe(429);
    const colleague = await post({ grant_type: 'password', username: 'alice', password: alicePassword, client_id: 'pub' }, { 'x-forwarded-for': from });
    expect(colleague.status).toBe(200);
  });

  test('repeated failures from one address lock that address out for every username', async () => {
    const from = address();
    for (let i = 0; i < gw.deps.config.login.maxFailuresPerAddress; i++) {
      await post({ grant_type: 'password', username: `spray${i}`, password: 'wrong', client_id: 'pub' }, { 'x-forwarded-for': from });
    }
    const locked = await post({ grant_type: 'password', username: 'alice', password: alicePassword, client_id: 'pub' }, { 'x-forwarded-for': from });
    expect(locked.status).toBe(429);
    const elsewhere = await post({ grant_type: 'password', username: 'alice', password: alicePassword, client_id: 'pub' });
    expect(elsewhere.status).toBe(200);
  });
});

describe('client_credentials grant', () => {
  test('the per-client access token lifetime overrides the default', async () => {
    const res = await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('cc-only', ccSecret) });
    expect(res.json.expires_in).toBe(120);
  });

  test('a client registered without scopes gets a token without scope', async () => {
    const res = await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('cc-only', ccSecret) });
    expect(res.json).not.toHaveProperty('scope');
  });

  test('a public client may not use it', async () => {
    const res = await post({ grant_type: 'client_credentials', client_id: 'pub' });
    expect([res.status, res.json.error]).toEqual([400, 'unauthorized_client']);
  });
});

describe('request errors', () => {
  test('a grant the client is not registered for is unauthorized_client', async () => {
    const res = await post({ grant_type: 'password', username: 'alice', password: alicePassword }, { authorization: basicAuth('cc-only', ccSecret) });
    expect([res.status, res.json.error]).toEqual([400, 'unauthorized_client']);
  });

  test('refresh_token for a client without refresh is unauthorized_client', async () => {
    const res = await post({ grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basicAuth('norefresh', norefreshSecret) });
    expect([res.status, res.json.error]).toEqual([400, 'unauthorized_client']);
  });

  test('an unknown grant type is unsupported_grant_type', async () => {
    const res = await post({ grant_type: 'urn:example:magic', client_id: 'pub' });
    expect([res.status, res.json.error]).toEqual([400, 'unsupported_grant_type']);
  });

  test('a missing grant_type is invalid_request', async () => {
    const res = await post({ client_id: 'pub' });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test('a repeated form parameter is invalid_request', async () => {
    const res = await gw.request('/oauth2/token', {
      method: 'POST',
      body: 'grant_type=client_credentials&scope=read&scope=write',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('conf', confSecret) },
    });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test('a repeated JSON key is invalid_request', async () => {
    const res = await postJson('{"grant_type":"client_credentials","scope":"read","scope":"write"}', { authorization: basicAuth('conf', confSecret) });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test.each([
    ['bad JSON', 'application/json', '{"grant_type":'],
    ['a JSON array', 'application/json', '["client_credentials"]'],
    ['a JSON number value', 'application/json', '{"grant_type":"password","username":1}'],
    ['an unsupported content type', 'text/plain', 'grant_type=client_credentials'],
    ['a malformed content type', 'application/json; =', '{}'],
    ['a bad percent-encoding', 'application/x-www-form-urlencoded', 'grant_type=%ZZ'],
  ])('%s is invalid_request, never a 500', async (_label, type, body) => {
    const res = await gw.request('/oauth2/token', { method: 'POST', body, headers: { 'content-type': type } });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test('a body over the size limit is 413', async () => {
    const res = await gw.request('/oauth2/token', {
      method: 'POST',
      body: 'grant_type=' + 'x'.repeat(gw.deps.config.server.bodyLimitBytes + 1),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(413);
  });

  test('a scope beyond the client registration is invalid_scope', async () => {
    const res = await post({ grant_type: 'client_credentials', scope: 'read admin' }, { authorization: basicAuth('conf', confSecret) });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_scope']);
  });

  test('a narrower scope is granted as asked', async () => {
    const res = await post({ grant_type: 'client_credentials', scope: 'write' }, { authorization: basicAuth('conf', confSecret) });
    expect(res.json.scope).toBe('write');
  });

  test('GET is 405 with invalid_request while the legacy switch is off', async () => {
    const res = await gw.request('/oauth2/token?grant_type=client_credentials', { headers: { authorization: basicAuth('conf', confSecret) } });
    expect(res.status).toBe(405);
    expect(res.json.error).toBe('invalid_request');
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('lifetimes', () => {
  test('an access token lives as long as expires_in says, by the gateway clock', async () => {
    const issued = await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('cc-only', ccSecret) });
    const bearer = { authorization: `Bearer ${issued.json.access_token}` };
    gw.clock.advance(119_000);
    expect((await gw.request('/oauth2/whoami', { headers: bearer })).status).toBe(200);
    gw.clock.advance(1_000);
    const expired = await gw.request('/oauth2/whoami', { headers: bearer });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

const issuedCount = (grant: string) => counterValue(gw, 'gateway_tokens_issued_total', { protocol: 'oauth2', grant });

test('issued tokens are counted by grant', async () => {
  const before = { password: await issuedCount('password'), clientCredentials: await issuedCount('client_credentials') };
  expect((await post({ grant_type: 'password', username: 'alice', password: alicePassword, client_id: 'pub' })).status).toBe(200);
  expect((await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('conf', confSecret) })).status).toBe(200);
  expect(await issuedCount('password')).toBe(before.password + 1);
  expect(await issuedCount('client_credentials')).toBe(before.clientCredentials + 1);
  const metrics = await gw.deps.metrics.registry.getSingleMetricAsString('gateway_tokens_issued_total');
  expect(metrics).toMatch(/gateway_tokens_issued_total\{protocol="oauth2",grant="password"\} [1-9]/);
  expect(metrics).toMatch(/gateway_tokens_issued_total\{protocol="oauth2",grant="client_credentials"\} [1-9]/);
});

test("the audit line of an issued token names the client, the grant and the request's id, never the token", async () => {
  const res = await post({ grant_type: 'password', username: 'alice', password: 'alice-password-1', client_id: 'pub' });
  expect(res.status).toBe(200);
  const token = (res.json as { access_token: string }).access_token;
  const requestId = res.headers.get('x-request-id');
  const lines = gw.logText().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const audit = lines.find((l) => l.msg === 'oauth2 tokens issued' && l.reqId === requestId);
  expect(audit).toMatchObject({ clientId: 'pub', grant: 'password', refresh: true });
  expect(JSON.stringify(audit)).not.toContain(token);
});

test('a user re-enabled after being disabled can get tokens again', async () => {
  const { username, password } = await ownUser({ enabled: false });
  expect((await post({ grant_type: 'password', username, password, client_id: 'pub' })).status).toBe(400);
  await setUserEnabled(gw.deps, username, true);
  const res = await post({ grant_type: 'password', username, password, client_id: 'pub' });
  expect(res.status).toBe(200);
});

test('no secret, password or token of this suite appears in its logs', async () => {
  const logs = logWindow(gw);
  const issued = await post({ grant_type: 'password', username: 'alice', password: alicePassword, client_id: 'pub' });
  expect(issued.status).toBe(200);
  expect((await post({ grant_type: 'refresh_token', refresh_token: issued.json.refresh_token, client_id: 'pub' })).status).toBe(200);
  expect((await post({ grant_type: 'client_credentials', client_id: 'conf', client_secret: confSecret })).status).toBe(200);
  expect((await postJson(JSON.stringify({ grant_type: 'client_credentials', client_id: 'conf', client_secret: confSecret }))).status).toBe(200);
  const { username } = await ownUser();
  expect((await post({ grant_type: 'password', username, password: 'not-the-password', client_id: 'pub' })).status).toBe(400);
  expect((await post({ grant_type: 'client_credentials' }, { authorization: basicAuth('conf', 'not-the-secret') })).status).toBe(401);
  gw.remember('not-the-password', 'not-the-secret');
  expect(logs.text()).toContain('oauth2 tokens issued');
  expect(logs.leakedSecrets()).toEqual([]);
});

describe('legacy GET token requests', () => {
  let legacy: TestGateway;
  let secret: string;

  beforeAll(async () => {
    legacy = await startTestGateway({ config: { oauth2: { legacyGetTokenRequests: true } } });
    secret = (await legacy.fixtures.client({ id: 'webex', name: 'WebEx style', grants: 'client_credentials' })).secret!;
  });

  afterAll(async () => {
    await legacy?.close();
  });

  test('GET with query parameters issues a token when the switch is on', async () => {
    const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'webex', client_secret: secret });
    const res = await legacy.request(`/oauth2/token?${query}`);
    expect(res.status).toBe(200);
    expect(res.json.token_type).toBe('Bearer');
  });

  test('a parameter both in the query and the body is refused as repeated', async () => {
    const res = await legacy.request('/oauth2/token?grant_type=client_credentials', {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('webex', secret) },
    });
    expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
  });

  test('the query values never reach the logs', async () => {
    const logs = logWindow(legacy);
    const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'webex', client_secret: secret });
    expect((await legacy.request(`/oauth2/token?${query}`)).status).toBe(200);
    expect(logs.text()).toContain('/oauth2/token');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});
