import { sessionCookieName } from '../../src/pages/session';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { startWsgiUpstream } from '../helpers/frameworks';
import { rawRequest, startUpstream, type TestUpstream } from '../helpers/upstream';

// What the gateway alone should see never reaches an upstream: client-sent identity and forwarding
// headers in any spelling, fields that would make the upstream do something other than what the
// gateway checked, and the gateway's own cookies.

let gateway: TestGateway;
let wsgi: TestUpstream;
let echo: TestUpstream;
let clientSecret: string;

beforeAll(async () => {
  [wsgi, echo] = await Promise.all([startWsgiUpstream(), startUpstream('echo')]);
  gateway = await startTestGateway({
    config: {
      routes: [
        { prefix: '/py', upstream: wsgi.url, accept: ['public'] },
        { prefix: '/py-api', upstream: wsgi.url, accept: ['oauth2'] },
        { prefix: '/api', upstream: echo.url, accept: ['public'] },
      ],
    },
  });
  clientSecret = (await gateway.fixtures.client({ id: 'svc', name: 'Service', grants: 'client_credentials', scopes: 'read' })).secret!;
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([wsgi.close(), echo.close()]);
});

async function environ(path: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const res = await rawRequest(gateway.url, { path, headers });
  expect(res.status).toBe(200);
  return JSON.parse(res.body.toString()).environ;
}

async function seenHeaders(path: string, headers: Record<string, string>, g: TestGateway = gateway): Promise<Record<string, string>> {
  const res = await rawRequest(g.url, { path, headers });
  expect(res.status).toBe(200);
  return JSON.parse(res.body.toString()).headers;
}

async function serviceToken(): Promise<string> {
  const f = form({ grant_type: 'client_credentials', scope: 'read' });
  const res = await gateway.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('svc', clientSecret) } });
  expect(res.status).toBe(200);
  return res.json.access_token;
}

describe('header names with underscores (a WSGI upstream reads "_" as "-")', () => {
  test('X_Authenticated_User on a public route does not become the upstream\'s HTTP_X_AUTHENTICATED_USER', async () => {
    const env = await environ('/py/me', { X_Authenticated_User: 'admin', X_Auth_Protocol: 'oauth2', 'X_Authenticated-Privileges': 'all' });
    expect(env.HTTP_X_AUTHENTICATED_USER).toBe('');
    expect(env.HTTP_X_AUTH_PROTOCOL).toBe('');
    expect(env.HTTP_X_AUTHENTICATED_PRIVILEGES).toBe('');
  });

  test('a token that names no user leaves HTTP_X_AUTHENTICATED_USER empty, whatever the client sends', async () => {
    const env = await environ('/py-api/me', { authorization: `Bearer ${await serviceToken()}`, X_Authenticated_User: 'admin', X_Authenticated_User_Id: '1' });
    expect(env.HTTP_X_AUTHENTICATED_USER).toBe('');
    expect(env.HTTP_X_AUTHENTICATED_USER_ID).toBe('');
    expect(env.HTTP_X_AUTHENTICATED_CLIENT).toBe('svc');
    expect(env.HTTP_X_AUTH_PROTOCOL).toBe('oauth2');
  });

  test('forwarding fields spelled with "_" do not join the gateway\'s own', async () => {
    const env = await environ('/py/me', { X_Forwarded_For: '203.0.113.9', X_Forwarded_Host: 'evil.example', X_Real_IP: '203.0.113.9' });
    expect(env.HTTP_X_FORWARDED_FOR).toBe('127.0.0.1');
    expect(env.HTTP_X_FORWARDED_HOST).toBe(new URL(gateway.url).host);
    expect(env.HTTP_X_REAL_IP).toBeUndefined();
  });

  test('every field whose name has "_" is dropped; the same name with "-" passes', async () => {
    const seen = await seenHeaders('/api/x', { X_Custom: 'underscore', 'X-Other': 'dash' });
    expect(seen.x_custom).toBeUndefined();
    expect(seen['x-other']).toBe('dash');
  });
});

describe("the gateway's cookies", () => {
  test('the session cookie is one of the gateway\'s: its name carries the reserved gw_ prefix', () => {
    expect(sessionCookieName.startsWith('gw_')).toBe(true);
  });

  test('gw_* cookies (any case, also behind __Host-/__Secure-) are removed and the others kept in order', async () => {
    const seen = await seenHeaders('/api/x', {
      cookie: `theme=dark; ${sessionCookieName}=s3ss10n; ${sessionCookieName}.sig=s1g; GW_CSRF=c5rf; lang=en; __Host-gw_csrf=h0st; sgw_x=1; gw=2`,
    });
    expect(seen.cookie).toBe('theme=dark; lang=en; sgw_x=1; gw=2');
  });

  test('a gw_ cookie after "," (read as its own cookie by RFC 2965 parsers) is removed with its pair', async () => {
    const seen = await seenHeaders('/api/x', { cookie: `theme=dark; a=1, ${sessionCookieName}=s3ss10n; lang=en` });
    expect(seen.cookie).toBe('theme=dark; lang=en');
  });

  test('a Cookie header holding only the gateway\'s cookies is not forwarded at all', async () => {
    const seen = await seenHeaders('/api/x', { cookie: `${sessionCookieName}=s3ss10n; ${sessionCookieName}.sig=s1g` });
    expect(seen.cookie).toBeUndefined();
  });
});

const overrides = {
  'X-Original-URL': '/admin',
  'X-Rewrite-URL': '/admin',
  'X-Original-URI': '/admin',
  'X-HTTP-Method-Override': 'DELETE',
  'X-HTTP-Method': 'DELETE',
  'X-Method-Override': 'DELETE',
};

const forwarding = {
  'X-Forwarded-For': '203.0.113.9',
  'X-Forwarded-Host': 'evil.example',
  'X-Forwarded-Proto': 'https',
  'X-Forwarded-Port': '443',
  'X-Forwarded-Prefix': '/admin',
  'X-Forwarded-Scheme': 'https',
  'X-Forwarded-Ssl': 'on',
  'X-Forwarded-Server': 'evil.example',
  'X-Real-IP': '203.0.113.9',
  'True-Client-IP': '203.0.113.9',
  'X-Client-IP': '203.0.113.9',
  'CF-Connecting-IP': '203.0.113.9',
  'X-Cluster-Client-IP': '203.0.113.9',
  'Fastly-Client-IP': '203.0.113.9',
  Forwarded: 'for=203.0.113.9;host=evil.example;proto=https',
};

describe('forwarding and request-rewriting fields', () => {
  test('from an untrusted client, none of them reaches the upstream; X-Forwarded-Host is the listen address', async () => {
    const seen = await seenHeaders('/api/x', { host: 'evil.example', ...overrides, ...forwarding });
    for (const name of Object.keys(overrides)) expect(seen[name.toLowerCase()]).toBeUndefined();
    for (const name of Object.keys(forwarding).filter((n) => !/^x-forwarded-(for|host|proto)$/i.test(n))) expect(seen[name.toLowerCase()]).toBeUndefined();
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(new URL(gateway.url).host);
  });

  test('X-Forwarded-Host and -Proto come from the configured public URL, not the Host header', async () => {
    const g = await startTestGateway({ config: { server: { publicUrl: 'https://api.example.com/gw' }, routes: [{ prefix: '/api', upstream: echo.url, accept: ['public'] }] } });
    try {
      const seen = await seenHeaders('/api/x', { host: 'evil.example', 'x-forwarded-host': 'evil.example' }, g);
      expect(seen['x-forwarded-host']).toBe('api.example.com');
      expect(seen['x-forwarded-proto']).toBe('https');
    } finally {
      await g.close();
    }
  });

  test('a trusted proxy keeps its forwarding fields, but never the ones that rewrite the request', async () => {
    const g = await startTestGateway({ config: { server: { trustedProxies: ['127.0.0.1'] }, routes: [{ prefix: '/api', upstream: echo.url, accept: ['public'] }] } });
    try {
      const seen = await seenHeaders('/api/x', { host: 'internal:8080', ...overrides, ...forwarding, 'X-Forwarded-Host': 'api.example.com', Forwarded: 'for=203.0.113.9' }, g);
      for (const name of Object.keys(overrides)) expect(seen[name.toLowerCase()]).toBeUndefined();
      expect(seen['x-forwarded-prefix']).toBe('/admin');
      expect(seen['true-client-ip']).toBe('203.0.113.9');
      expect(seen['x-real-ip']).toBe('203.0.113.9');
      expect(seen.forwarded).toBe('for=203.0.113.9');
      expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
      expect(seen['x-forwarded-host']).toBe('api.example.com');
      expect(seen['x-forwarded-proto']).toBe('https');
    } finally {
      await g.close();
    }
  });
});
