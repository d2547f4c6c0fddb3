import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { rawRequest, startUpstream, type TestUpstream } from '../helpers/upstream';

// Verified proxying with the real OAuth 2.0 bearer verifier: who reaches the upstream, and what
// the upstream is told about them.

let gateway: TestGateway;
let upstream: TestUpstream;
let secret: string;
let alice: { id: string };

beforeAll(async () => {
  upstream = await startUpstream('api');
  gateway = await startTestGateway({
    config: {
      routes: [
        { prefix: '/api', upstream: upstream.url, accept: ['oauth1', 'oauth2'] },
        { prefix: '/open', upstream: upstream.url, accept: ['public'] },
        { prefix: '/raw', upstream: upstream.url, accept: ['oauth2'], forwardCredentials: true },
        { prefix: '/admin', upstream: upstream.url, accept: ['oauth2'], scopes: ['admin'] },
        { prefix: '/ops', upstream: upstream.url, accept: ['oauth2'], privileges: ['deploy'] },
      ],
    },
  });
  const staff = await gateway.fixtures.profile('staff', ['read_things', 'write_things']);
  alice = await gateway.fixtures.user('alice', 'alice-password-1', { profile: staff });
  secret = (await gateway.fixtures.client({ id: 'app', name: 'App', grants: 'password,client_credentials', scopes: 'read,write,admin', profile: 'staff' })).secret!;
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function token(values: Record<string, string>): Promise<string> {
  const f = form(values);
  const res = await gateway.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret) } });
  expect(res.status).toBe(200);
  return res.json.access_token;
}

const userToken = (scope = 'read write') => token({ grant_type: 'password', username: 'alice', password: 'alice-password-1', scope });
const machineToken = (scope = 'read') => token({ grant_type: 'client_credentials', scope });

function seenHeaders(res: { json: any }): Record<string, string> {
  return res.json.headers;
}

test('a valid bearer token passes and the upstream learns who is calling', async () => {
  const res = await gateway.request('/api/me', { headers: { authorization: `Bearer ${await userToken()}` } });
  expect(res.status).toBe(200);
  const h = seenHeaders(res);
  expect(h['x-authenticated-user']).toBe('alice');
  expect(h['x-authenticated-user-id']).toBe(alice.id);
  expect(h['x-authenticated-client']).toBe('app');
  expect(h['x-authenticated-scope']).toBe('read write');
  expect(h['x-authenticated-privileges']).toBe('read_things,write_things');
  expect(h['x-auth-protocol']).toBe('oauth2');
});

test('a client_credentials token names the client and no user (the user fields are sent empty)', async () => {
  const res = await gateway.request('/api/me', { headers: { authorization: `Bearer ${await machineToken()}` } });
  const h = seenHeaders(res);
  expect(h['x-authenticated-client']).toBe('app');
  expect(h['x-authenticated-user']).toBe('');
  expect(h['x-authenticated-user-id']).toBe('');
});

test('identity headers sent by the client are removed, whatever their case or spelling', async () => {
  const res = await rawRequest(gateway.url, {
    path: '/api/me',
    headers: {
      authorization: `Bearer ${await machineToken()}`,
      'X-Authenticated-User': 'root',
      'x-authenticated-user-id': '0',
      'X-AUTHENTICATED-PRIVILEGES': 'everything',
      'X-Authenticated-Role': 'admin',
      'x-authenticated_user': 'root',
      'X-Auth-Protocol': 'trusted',
    },
  });
  const h = JSON.parse(res.body.toString()).headers;
  expect(h['x-authenticated-user']).toBe('');
  expect(h['x-authenticated-user-id']).toBe('');
  expect(h['x-authenticated-privileges']).toBe('read_things,write_things');
  expect(h['x-authenticated-role']).toBeUndefined();
  expect(h['x-authenticated_user']).toBeUndefined();
  expect(h['x-auth-protocol']).toBe('oauth2');
});

test('spoofed identity headers are removed on a public route too', async () => {
  const res = await gateway.request('/open/page', { headers: { 'x-authenticated-user': 'root', 'x-auth-protocol': 'oauth2' } });
  expect(res.status).toBe(200);
  expect(seenHeaders(res)['x-authenticated-user']).toBe('');
  expect(seenHeaders(res)['x-auth-protocol']).toBe('');
});

test('the client credential is not forwarded: no Authorization, no oauth_* or access_token parameters', async () => {
  const res = await gateway.request('/api/me?a=1&oauth_token=t&oauth_signature=s&b=2&access_token=x', {
    headers: { authorization: `Bearer ${await machineToken()}` },
  });
  expect(res.status).toBe(200);
  expect(seenHeaders(res).authorization).toBeUndefined();
  expect(res.json.url).toBe('/api/me?a=1&b=2');
});

test('a route with forwardCredentials passes the credential on', async () => {
  const bearer = `Bearer ${await machineToken()}`;
  const res = await gateway.request('/raw/me?oauth_token=t&a=1', { headers: { authorization: bearer } });
  expect(res.status).toBe(200);
  expect(seenHeaders(res).authorization).toBe(bearer);
  expect(res.json.url).toBe('/raw/me?oauth_token=t&a=1');
});

test('a public route needs no credential', async () => {
  const res = await gateway.request('/open/page');
  expect(res.status).toBe(200);
  expect(res.json.url).toBe('/open/page');
});

test('a protected route without a credential is 401 with one challenge per accepted protocol', async () => {
  const before = upstream.seen.length;
  const res = await gateway.request('/api/me');
  expect(res.status).toBe(401);
  const challenges = res.headers.get('www-authenticate') ?? '';
  expect(challenges).toMatch(/OAuth realm="oauth-gateway"/);
  expect(challenges).toMatch(/Bearer realm="oauth-gateway"/);
  expect(upstream.seen.length).toBe(before);
});

test('an unknown bearer token is 401 invalid_token and never reaches the upstream', async () => {
  const before = upstream.seen.length;
  const res = await gateway.request('/api/me', { headers: { authorization: 'Bearer not-a-real-token' } });
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  expect(upstream.seen.length).toBe(before);
});

test('a revoked token stops working at the proxy', async () => {
  const access = await machineToken();
  const headers = { authorization: `Bearer ${access}` };
  expect((await gateway.request('/api/me', { headers })).status).toBe(200);
  const f = form({ token: access });
  const revoked = await gateway.request('/oauth2/revoke', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret) } });
  expect(revoked.status).toBe(200);
  const res = await gateway.request('/api/me', { headers });
  expect(res.status).toBe(401);
  expect(res.json.error).toBe('invalid_token');
});

test('a token without the scope the route requires is 403 insufficient_scope', async () => {
  const res = await gateway.request('/admin/panel', { headers: { authorization: `Bearer ${await machineToken('read')}` } });
  expect(res.status).toBe(403);
  expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope", .*scope="admin"/);
});

test('a token with the required scope passes', async () => {
  const res = await gateway.request('/admin/panel', { headers: { authorization: `Bearer ${await machineToken('read admin')}` } });
  expect(res.status).toBe(200);
});

test('a caller without the privilege the route requires is 403 insufficient_privileges', async () => {
  const res = await gateway.request('/ops/deploy', { headers: { authorization: `Bearer ${await userToken()}` } });
  expect(res.status).toBe(403);
  expect(res.json.error).toBe('insufficient_privileges');
});
