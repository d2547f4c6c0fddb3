import { decodeJwt } from 'jose';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { counterValue } from '../helpers/metrics';
import { startOidcProvider, type ProviderClient, type TestProvider } from '../helpers/oidc-provider';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// Tokens of a real external authorization server (node-oidc-provider in a child process) at the
// gateway's protected routes: JWT access tokens verified with its published keys, opaque ones by
// RFC 7662 introspection with the gateway's own client at the issuer.

const JWT_API = 'https://api.example/jwt';
const OPAQUE_API = 'https://api.example/opaque';
const app: ProviderClient = { client_id: 'app', client_secret: 'app-secret-0123456789', scope: 'read write admin', roles: ['reports'] };
const plain: ProviderClient = { client_id: 'plain', client_secret: 'plain-secret-0123456789', scope: 'read' };
const gatewayClient: ProviderClient = { client_id: 'gateway', client_secret: 'gateway-secret-0123456789' };

let provider: TestProvider;
let upstream: TestUpstream;
let gateway: TestGateway;

function issuerConfig(issuer: string, cache: Record<string, number> = {}) {
  return {
    name: 'corp',
    issuer,
    audiences: [JWT_API, OPAQUE_API],
    claims: { privileges: 'roles' },
    introspection: { clientId: gatewayClient.client_id, clientSecret: gatewayClient.client_secret },
    cache,
  };
}

async function gatewayFor(issuer: string, cache: Record<string, number> = {}): Promise<TestGateway> {
  const gw = await startTestGateway({
    config: {
      issuers: [issuerConfig(issuer, cache)],
      routes: [
        { prefix: '/ext', upstream: upstream.url, accept: ['issuer:corp'] },
        { prefix: '/ext-admin', upstream: upstream.url, accept: ['issuer:corp'], scopes: ['admin'] },
        { prefix: '/ext-reports', upstream: upstream.url, accept: ['issuer:corp'], privileges: ['reports'] },
        { prefix: '/mixed', upstream: upstream.url, accept: ['oauth2', 'issuer:corp'] },
        { prefix: '/local', upstream: upstream.url, accept: ['oauth2'] },
      ],
    },
  });
  // The provider's tokens carry wall-clock times: the gateway's manual clock starts there.
  gw.clock.advance(Date.now() - gw.clock());
  gw.remember(gatewayClient.client_secret, app.client_secret, plain.client_secret);
  return gw;
}

beforeAll(async () => {
  provider = await startOidcProvider({ clients: [app, plain, gatewayClient] });
  upstream = await startUpstream('api');
  gateway = await gatewayFor(provider.issuer);
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
  await provider?.stop();
});

async function token(client: ProviderClient, resource: string, scope: string): Promise<string> {
  const value = await provider.token(client, resource, scope);
  gateway.remember(value);
  return value;
}

const get = (gw: TestGateway, path: string, bearer: string) => gw.request(path, { headers: { authorization: `Bearer ${bearer}` } });
const calls = (gw: TestGateway, call: string) => counterValue(gw, 'gateway_issuer_calls_total', { issuer: 'corp', call, outcome: 'ok' });

test('a JWT access token of the issuer passes, and the upstream learns the caller, the issuer and the protocol', async () => {
  const jwt = await token(app, JWT_API, 'read write');
  const res = await get(gateway, '/ext/me', jwt);
  expect(res.status).toBe(200);
  const h = res.json.headers;
  expect(h['x-authenticated-issuer']).toBe('corp');
  expect(h['x-auth-protocol']).toBe('oauth2');
  expect(h['x-authenticated-client']).toBe('app');
  expect(h['x-authenticated-user-id']).toBe(decodeJwt(jwt).sub);
  expect(h['x-authenticated-scope']).toBe('read write');
  expect(h['x-authenticated-privileges']).toBe('reports');
  expect(h.authorization).toBeUndefined();
});

test('an opaque token passes after introspection with the gateway\'s own client', async () => {
  const opaque = await token(app, OPAQUE_API, 'read');
  const before = await calls(gateway, 'introspection');
  const res = await get(gateway, '/ext/items', opaque);
  expect(res.status).toBe(200);
  expect(res.json.headers['x-authenticated-issuer']).toBe('corp');
  expect(res.json.headers['x-authenticated-client']).toBe('app');
  expect(res.json.headers['x-authenticated-scope']).toBe('read');
  expect(await calls(gateway, 'introspection')).toBe(before + 1);
});

test('a verified JWT is served from the cache: no second key fetch, a cache hit counted', async () => {
  const jwt = await token(app, JWT_API, 'read');
  expect((await get(gateway, '/ext/a', jwt)).status).toBe(200);
  const jwks = await calls(gateway, 'jwks');
  const hits = await counterValue(gateway, 'gateway_issuer_token_cache_total', { issuer: 'corp', kind: 'jwt', result: 'hit' });
  expect((await get(gateway, '/ext/b', jwt)).status).toBe(200);
  expect(await calls(gateway, 'jwks')).toBe(jwks);
  expect(await counterValue(gateway, 'gateway_issuer_token_cache_total', { issuer: 'corp', kind: 'jwt', result: 'hit' })).toBe(hits + 1);
});

test('concurrent requests with one new opaque token share one introspection call', async () => {
  const opaque = await token(app, OPAQUE_API, 'read');
  const before = await calls(gateway, 'introspection');
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => get(gateway, `/ext/c${i}`, opaque)));
  expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
  expect(await calls(gateway, 'introspection')).toBe(before + 1);
});

test('a route\'s scopes apply to external tokens: 403 insufficient_scope without them', async () => {
  const readOnly = await token(app, JWT_API, 'read');
  const refused = await get(gateway, '/ext-admin/x', readOnly);
  expect(refused.status).toBe(403);
  expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  const admin = await token(app, OPAQUE_API, 'admin');
  expect((await get(gateway, '/ext-admin/x', admin)).status).toBe(200);
});

test('a route\'s privileges apply to external tokens, read from the configured claim', async () => {
  expect((await get(gateway, '/ext-reports/r', await token(app, JWT_API, 'read'))).status).toBe(200);
  const refused = await get(gateway, '/ext-reports/r', await token(plain, JWT_API, 'read'));
  expect(refused.status).toBe(403);
  expect(refused.json.error).toBe('insufficient_privileges');
});

test('a token issued for another audience is refused', async () => {
  const res = await get(gateway, '/ext/x', await token(app, 'https://other.example/jwt', 'read'));
  expect(res.status).toBe(401);
  expect(res.json.error).toBe('invalid_token');
  expect(res.json.error_description).toBe('The access token is not meant for this API.');
});

test('an expired JWT is refused once its exp (plus the skew) has passed, even after it was cached', async () => {
  const gw = await gatewayFor(provider.issuer);
  try {
    const jwt = await provider.token(app, JWT_API, 'read');
    gw.remember(jwt);
    expect((await get(gw, '/ext/x', jwt)).status).toBe(200);
    gw.clock.advance(300_000 + 31_000);
    const res = await get(gw, '/ext/x', jwt);
    expect(res.status).toBe(401);
    expect(res.json.error_description).toBe('The access token has expired.');
  } finally {
    await gw.close();
  }
});

test('a revoked opaque token keeps working until the positive cache lapses, then is refused', async () => {
  const opaque = await token(app, OPAQUE_API, 'read');
  expect((await get(gateway, '/ext/x', opaque)).status).toBe(200);
  await provider.revoke(app, opaque);
  expect((await get(gateway, '/ext/x', opaque)).status).toBe(200);
  gateway.clock.advance(61_000);
  const res = await get(gateway, '/ext/x', opaque);
  expect(res.status).toBe(401);
  expect(res.json.error).toBe('invalid_token');
  // The inactive answer is remembered briefly: a retry costs no call.
  const before = await calls(gateway, 'introspection');
  expect((await get(gateway, '/ext/x', opaque)).status).toBe(401);
  expect(await calls(gateway, 'introspection')).toBe(before);
});

test('issuer down: cached tokens and JWTs under known keys still pass, an unknown opaque token gets 503, never a pass', async () => {
  const own = await startOidcProvider({ clients: [app, gatewayClient] });
  const gw = await gatewayFor(own.issuer);
  try {
    const cachedOpaque = await own.token(app, OPAQUE_API, 'read');
    const freshOpaque = await own.token(app, OPAQUE_API, 'read');
    const jwt = await own.token(app, JWT_API, 'read');
    const laterJwt = await own.token(app, JWT_API, 'write');
    gw.remember(cachedOpaque, freshOpaque, jwt, laterJwt);
    expect((await get(gw, '/ext/x', cachedOpaque)).status).toBe(200);
    expect((await get(gw, '/ext/x', jwt)).status).toBe(200);
    await own.stop();

    expect((await get(gw, '/ext/x', cachedOpaque)).status).toBe(200);
    expect((await get(gw, '/ext/x', jwt)).status).toBe(200);
    // Verified locally with the keys fetched before the outage.
    expect((await get(gw, '/ext/x', laterJwt)).status).toBe(200);
    const refused = await get(gw, '/ext/x', freshOpaque);
    expect(refused.status).toBe(503);
    expect(refused.json.error).toBe('temporarily_unavailable');
    expect(refused.headers.get('retry-after')).toBe('5');
    // One warn line for the spell, not one per refused request.
    expect((await get(gw, '/ext/x', freshOpaque)).status).toBe(503);
    expect(gw.logText().split('did not answer as expected').length - 1).toBe(1);
    gw.clock.advance(61_000);
    expect((await get(gw, '/ext/x', cachedOpaque)).status).toBe(503);
    expect(gw.logText()).toContain('"failedSinceLastLine":1');
    expect(await counterValue(gw, 'gateway_issuer_calls_total', { issuer: 'corp', call: 'introspection', outcome: 'failed' })).toBeGreaterThan(0);
    expect(gw.leakedSecrets()).toEqual([]);
  } finally {
    await gw.close();
    await own.stop();
  }
});

test('a route accepting both the gateway\'s own tokens and the issuer\'s takes either, and refuses a token neither knows', async () => {
  const f = form({ grant_type: 'client_credentials', scope: 'read' });
  const { secret } = await gateway.fixtures.client({ id: 'local-app', name: 'Local', grants: 'client_credentials', scopes: 'read' });
  const issued = await gateway.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('local-app', secret!) } });
  expect(issued.status).toBe(200);
  const local = await get(gateway, '/mixed/x', issued.json.access_token);
  expect(local.status).toBe(200);
  expect(local.json.headers['x-authenticated-issuer']).toBe('');
  expect(local.json.headers['x-authenticated-client']).toBe('local-app');

  expect((await get(gateway, '/mixed/x', await token(app, JWT_API, 'read'))).json.headers['x-authenticated-issuer']).toBe('corp');
  expect((await get(gateway, '/mixed/x', await token(app, OPAQUE_API, 'read'))).json.headers['x-authenticated-issuer']).toBe('corp');

  const unknown = await get(gateway, '/mixed/x', 'A'.repeat(43));
  expect(unknown.status).toBe(401);
  expect(unknown.json.error).toBe('invalid_token');
  // A route that accepts only the gateway's own tokens does not ask the issuer.
  expect((await get(gateway, '/local/x', await token(app, JWT_API, 'read'))).status).toBe(401);
});

test('a client-sent X-Authenticated-Issuer never reaches the upstream', async () => {
  const res = await gateway.request('/ext/x', { headers: { authorization: `Bearer ${await token(app, JWT_API, 'read')}`, 'x-authenticated-issuer': 'evil' } });
  expect(res.json.headers['x-authenticated-issuer']).toBe('corp');
});

test('no token or client secret reaches the log', async () => {
  expect(gateway.leakedSecrets()).toEqual([]);
});

test('no token on a route that accepts only the issuer: 401 with a Bearer challenge and no error code', async () => {
  const res = await gateway.request('/ext/x');
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="oauth-gateway"$/);
});

test('a malformed bearer credential on an issuer route is 400 invalid_request', async () => {
  const res = await gateway.request('/ext/x', { headers: { authorization: 'Bearer a b' } });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_request');
});
