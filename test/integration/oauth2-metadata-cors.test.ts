import { basicAuth, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';

// RFC 8414 metadata, and CORS with the ClearPass allowed-origins semantics on the token-side endpoints.

let gw: TestGateway;
let secret: string;

const corsPaths: Array<[string, string]> = [
  ['/oauth2/token', 'POST'],
  ['/oauth2/introspect', 'POST'],
  ['/oauth2/revoke', 'POST'],
  ['/api/oauth', 'POST'],
  ['/api/oauth/privileges', 'GET'],
];

function preflight(path: string, origin: string, method: string) {
  return gw.request(path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
  });
}

beforeAll(async () => {
  gw = await startTestGateway({ config: { cors: { allowedOrigins: ['https://app.example.com', '*.partner.test'] } } });
  secret = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'client_credentials', scopes: 'read,write' })).secret!;
  await gw.fixtures.client({ id: 'app2', name: 'App 2', grants: 'client_credentials', scopes: 'admin' });
});

afterAll(async () => {
  await gw?.close();
});

describe('authorization server metadata', () => {
  test('lists every endpoint under the issuer taken from the request when no public URL is set', async () => {
    const res = await gw.request('/.well-known/oauth-authorization-server');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      issuer: gw.url,
      authorization_endpoint: `${gw.url}/oauth2/authorize`,
      token_endpoint: `${gw.url}/oauth2/token`,
      device_authorization_endpoint: `${gw.url}/oauth2/device_authorization`,
      introspection_endpoint: `${gw.url}/oauth2/introspect`,
      revocation_endpoint: `${gw.url}/oauth2/revoke`,
    });
  });

  test('lists every grant, response type, client authentication method and PKCE method', async () => {
    const { json } = await gw.request('/.well-known/oauth-authorization-server');
    expect(json.grant_types_supported.sort()).toEqual(
      [
        'authorization_code', 'client_credentials', 'external_token', 'implicit', 'password', 'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange',
      ].sort(),
    );
    expect(json.response_types_supported).toEqual(['code', 'token', 'id_token', 'id_token token']);
    expect(json.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
    expect(json.revocation_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
    expect(json.introspection_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
    expect(json.code_challenge_methods_supported).toEqual(['S256', 'plain']);
  });

  test('scopes_supported is the union of the clients scopes', async () => {
    const { json } = await gw.request('/.well-known/oauth-authorization-server');
    expect(json.scopes_supported).toEqual(['admin', 'read', 'write']);
  });

  test('the issuer is the configured public URL when there is one', async () => {
    const other = await startTestGateway({ config: { server: { publicUrl: 'https://gw.example.com/' } } });
    try {
      const { json } = await other.request('/.well-known/oauth-authorization-server');
      expect([json.issuer, json.token_endpoint]).toEqual(['https://gw.example.com', 'https://gw.example.com/oauth2/token']);
    } finally {
      await other.close();
    }
  });
});

describe('CORS', () => {
  test.each(corsPaths)('a preflight to %s from an allowed origin is 204 with the CORS headers', async (path, method) => {
    const res = await preflight(path, 'https://app.example.com', method);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-methods')).toContain(method);
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  test.each(corsPaths)('a preflight to %s from another origin is 403 without CORS headers', async (path, method) => {
    const res = await preflight(path, 'https://evil.example.net', method);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  test('a wildcard entry admits subdomains at any depth', async () => {
    expect((await preflight('/oauth2/token', 'https://a.b.partner.test', 'POST')).status).toBe(204);
  });

  test('a wildcard entry does not admit the bare domain or look-alikes', async () => {
    expect((await preflight('/oauth2/token', 'https://partner.test', 'POST')).status).toBe(403);
    expect((await preflight('/oauth2/token', 'https://evil-partner.test', 'POST')).status).toBe(403);
  });

  test('an actual request from an allowed origin gets the origin echoed', async () => {
    const res = await gw.request('/oauth2/token', {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('app', secret), origin: 'https://app.example.com' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  test('an error answer to an allowed origin keeps the CORS headers so the script can read it', async () => {
    const res = await gw.request('/oauth2/token', {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('app', 'wrong'), origin: 'https://app.example.com' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
  });

  test('an actual request from another origin gets no CORS headers', async () => {
    const res = await gw.request('/oauth2/token', {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('app', secret), origin: 'https://evil.example.net' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a request without Origin gets no CORS headers', async () => {
    const res = await gw.request('/oauth2/token', {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('app', secret) },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('an empty allowed-origins list never allows', async () => {
    const closed = await startTestGateway();
    try {
      const res = await closed.request('/oauth2/token', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });
});

test('no secret or token appears in the logs', async () => {
  const logs = logWindow(gw);
  const origin = { origin: 'https://app.example.com' };
  expect((await preflight('/oauth2/token', origin.origin, 'POST')).status).toBe(204);
  const issued = await gw.request('/oauth2/token', {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('app', secret), ...origin },
  });
  expect(issued.status).toBe(200);
  const introspected = await gw.request('/oauth2/introspect', {
    method: 'POST',
    body: new URLSearchParams({ token: issued.json.access_token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('app', secret), ...origin },
  });
  expect(introspected.json.active).toBe(true);
  expect(logs.text()).toContain('/oauth2/introspect');
  expect(logs.leakedSecrets()).toEqual([]);
});
