import { tokenDigest } from '../../src/crypto';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { counterValue } from '../helpers/metrics';
import { startOidcProvider, type ProviderClient, type TestProvider } from '../helpers/oidc-provider';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// grant_type=external_token (seed 004): token values made by an authorization server already in
// place (here a real node-oidc-provider) become the gateway's own tokens for a resource owner whose
// password the client presents.

const provider_app: ProviderClient = { client_id: 'legacy', client_secret: 'legacy-secret-0123456789', scope: 'read' };

let provider: TestProvider;
let upstream: TestUpstream;
let gateway: TestGateway;
let secret: string;
let otherSecret: string;

beforeAll(async () => {
  provider = await startOidcProvider({ clients: [provider_app] });
  upstream = await startUpstream('api');
  gateway = await startTestGateway({
    config: { routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth2'] }], login: { maxFailures: 3 } },
  });
  const staff = await gateway.fixtures.profile('staff', ['read_things']);
  await gateway.fixtures.user('alice', 'alice-password-1', { profile: staff });
  await gateway.fixtures.user('bob', 'bob-password-1');
  await gateway.fixtures.user('carol', 'carol-password-1');
  secret = (await gateway.fixtures.client({ id: 'skyvault', name: 'SkyVault', grants: 'external_token,refresh_token', scopes: 'read,write', accessTtl: '1799' })).secret!;
  otherSecret = (await gateway.fixtures.client({ id: 'plain', name: 'Plain', grants: 'password' })).secret!;
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
  await provider?.stop();
});

async function externalToken(values: Record<string, string>, client = 'skyvault', clientSecret = secret) {
  for (const v of [values.access_token, values.refresh_token]) gateway.remember(v);
  const f = form({ grant_type: 'external_token', ...values });
  return gateway.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(client, clientSecret) } });
}

const fresh = () => provider.token(provider_app, 'https://api.example/opaque', 'read');

test('end to end: values from the existing server become the gateway\'s tokens for the user, with the client\'s lifetime', async () => {
  const access = await fresh();
  const refresh = await fresh();
  const before = await counterValue(gateway, 'gateway_tokens_issued_total', { protocol: 'oauth2', grant: 'external_token' });
  const res = await externalToken({ username: 'alice', password: 'alice-password-1', access_token: access, refresh_token: refresh, scope: 'read write' });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ access_token: access, token_type: 'Bearer', expires_in: 1799, refresh_token: refresh, scope: 'read write' });
  expect(await counterValue(gateway, 'gateway_tokens_issued_total', { protocol: 'oauth2', grant: 'external_token' })).toBe(before + 1);

  const proxied = await gateway.request('/api/me', { headers: { authorization: `Bearer ${access}` } });
  expect(proxied.status).toBe(200);
  expect(proxied.json.headers['x-authenticated-user']).toBe('alice');
  expect(proxied.json.headers['x-authenticated-client']).toBe('skyvault');
  expect(proxied.json.headers['x-authenticated-privileges']).toBe('read_things');

  // The supplied refresh token is a refresh token of this gateway now.
  const f = form({ grant_type: 'refresh_token', refresh_token: refresh });
  const refreshed = await gateway.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('skyvault', secret) } });
  expect(refreshed.status).toBe(200);
  expect(refreshed.json.access_token).not.toBe(access);
});

test('the values are stored by digest only, and never logged', async () => {
  const access = await fresh();
  expect((await externalToken({ username: 'alice', password: 'alice-password-1', access_token: access })).status).toBe(200);
  const row = await gateway.deps.store.accessTokens.find(tokenDigest(access));
  expect(row).toMatchObject({ clientId: 'skyvault', grantType: 'external_token' });
  expect(JSON.stringify(row)).not.toContain(access);
  expect(gateway.leakedSecrets()).toEqual([]);
});

test('a value already used (as an access or a refresh token) is refused with invalid_request', async () => {
  const access = await fresh();
  expect((await externalToken({ username: 'alice', password: 'alice-password-1', access_token: access })).status).toBe(200);
  const again = await externalToken({ username: 'alice', password: 'alice-password-1', access_token: access });
  expect(again.status).toBe(400);
  expect(again.json.error).toBe('invalid_request');
  const asRefresh = await externalToken({ username: 'alice', password: 'alice-password-1', access_token: await fresh(), refresh_token: access });
  expect(asRefresh.status).toBe(400);
  expect(asRefresh.json.error).toBe('invalid_request');
});

test.each([
  ['too short', 'short-token-value'],
  ['not a bearer token', 'a value with spaces that is long enough to pass'],
])('an access_token that is %s is refused with invalid_request', async (_why, value) => {
  const res = await externalToken({ username: 'alice', password: 'alice-password-1', access_token: value });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_request');
});

test('the same value for access and refresh token is refused', async () => {
  const value = await fresh();
  const res = await externalToken({ username: 'alice', password: 'alice-password-1', access_token: value, refresh_token: value });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_request');
});

test('a missing access_token is invalid_request', async () => {
  const res = await externalToken({ username: 'alice', password: 'alice-password-1' });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_request');
});

test('a wrong password is invalid_grant, and the values are not taken', async () => {
  const access = await fresh();
  const res = await externalToken({ username: 'bob', password: 'wrong-password', access_token: access });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_grant');
  expect(await gateway.deps.store.accessTokens.find(tokenDigest(access))).toBeNull();
});

test('repeated wrong passwords lock the username out (429), as with the password grant', async () => {
  for (let i = 0; i < 3; i += 1) expect((await externalToken({ username: 'carol', password: 'nope-nope', access_token: await fresh() })).status).toBe(400);
  const locked = await externalToken({ username: 'carol', password: 'carol-password-1', access_token: await fresh() });
  expect(locked.status).toBe(429);
  expect(locked.headers.get('retry-after')).not.toBeNull();
});

test('a client not registered for external_token is unauthorized_client', async () => {
  const res = await externalToken({ username: 'alice', password: 'alice-password-1', access_token: await fresh() }, 'plain', otherSecret);
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('unauthorized_client');
});
