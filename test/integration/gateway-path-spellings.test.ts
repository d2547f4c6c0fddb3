import net from 'node:net';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { startKoaUpstream, startServletUpstream, type FrameworkUpstream } from '../helpers/frameworks';
import { rawRequest, startUpstream, type TestUpstream } from '../helpers/upstream';

// A path reaches an upstream in one spelling only. Each stricter route below sits under a looser
// public one; upstreams that read paths differently (a case-insensitive Koa router, a servlet
// container that cuts ";parameters") would hand another spelling of the stricter path to its handler
// if the gateway matched it against the looser route.

let gateway: TestGateway;
let koa: FrameworkUpstream;
let servlet: TestUpstream;
let api: TestUpstream;
let admin: TestUpstream;

beforeAll(async () => {
  [koa, servlet, api, admin] = await Promise.all([startKoaUpstream(), startServletUpstream(), startUpstream('api'), startUpstream('admin')]);
  gateway = await startTestGateway({
    config: {
      routes: [
        { prefix: '/k', upstream: koa.url, accept: ['public'] },
        { prefix: '/k/admin', upstream: koa.url, accept: ['oauth2'], privileges: ['admin'] },
        { prefix: '/j', upstream: servlet.url, accept: ['public'] },
        { prefix: '/j/internal', upstream: servlet.url, accept: ['oauth2'], scopes: ['internal'] },
        { prefix: '/api', upstream: api.url, accept: ['public'] },
        { prefix: '/api/admin', upstream: admin.url, accept: ['oauth2'], scopes: ['admin'] },
      ],
    },
  });
  await gateway.fixtures.profile('admins', ['admin']);
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([koa.close(), servlet.close(), api.close(), admin.close()]);
});

const reached = () => koa.count() + servlet.seen.length + api.seen.length + admin.seen.length;

describe('the Koa upstream (case-insensitive routes)', () => {
  test('/k/ADMIN/users is matched against the /k/admin route, not the public /k', async () => {
    const before = koa.count();
    const res = await rawRequest(gateway.url, { path: '/k/ADMIN/users' });
    expect(res.status).toBe(401);
    expect(koa.count()).toBe(before);
  });

  test('/k/%41dmin/users is refused: an encoded letter is not a spelling the gateway accepts', async () => {
    const before = koa.count();
    const res = await rawRequest(gateway.url, { path: '/k/%41dmin/users' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString()).error).toBe('invalid_path');
    expect(koa.count()).toBe(before);
  });

  test('a caller holding the privilege reaches the admin handler in any case', async () => {
    const { secret } = await gateway.fixtures.client({ id: 'ops', name: 'Ops', grants: 'client_credentials', scopes: 'read', profile: 'admins' });
    const f = form({ grant_type: 'client_credentials', scope: 'read' });
    const issued = await gateway.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('ops', secret!) } });
    expect(issued.status).toBe(200);
    const res = await rawRequest(gateway.url, { path: '/K/Admin/users', headers: { authorization: `Bearer ${issued.json.access_token}` } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ handler: 'admin', path: '/K/Admin/users' });
  });
});

describe('the servlet upstream (";parameters" cut from segments)', () => {
  test.each(['/j/internal;a=b/x', '/j/internal%3Ba=b/x', '/j/public/..;/internal/x', '/j/.;/internal/x', '/j//internal/x'])('%s is refused', async (path) => {
    const before = servlet.seen.length;
    const res = await rawRequest(gateway.url, { path });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString()).error).toBe('invalid_path');
    expect(servlet.seen.length).toBe(before);
  });

  test('an ordinary path under /j still reaches the default servlet', async () => {
    const res = await rawRequest(gateway.url, { path: '/j/public/x' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ servlet: 'default', path: '/j/public/x' });
  });
});

// Spellings that some framework reads as /api/admin (or as a looser path), each refused before matching.
const refused = [
  '/api//admin',
  '/api/admin.',
  '/api/admin./users',
  '/api/admin%20',
  '/api/admin%20/users',
  '/api/%20admin/users',
  '/api/admin%09/users',
  '/api/admin%C2%A0/users',
  '/api/admin%2520/users',
  '/api/admin%3B/users',
  '/api/admin%3b/users',
  '/api/admin;jsessionid=1/users',
  '/api/..;/api/admin',
  '/api/x/..;/admin',
  '/api/x/.;/admin',
  '/api/%61dmin/users',
  '/api/admin%2E/users',
  '/api/%2561dmin/users',
  '/api/%C5%BFecret',
  '/api/adm%zzin',
  '/api/adm%C3in',
  '/api/adm%C0%AEin',
  '/api/a%0D%0Ab',
  // Read as /api/admin/x by an upstream applying NFKC or best-fit (fullwidth "a", fullwidth ".."), that
  // strips zero-width characters, or that decodes twice and reads an overlong "." loosely.
  '/api/%EF%BD%81dmin/x',
  '/api/x/%EF%BC%8E%EF%BC%8E/admin/x',
  '/api/adm%E2%80%8Bin/x',
  '/api/x/%25C0%25AE%25C0%25AE/admin/x',
];

test.each(refused)('%s is refused with 400 invalid_path and reaches no upstream', async (path) => {
  const before = reached();
  const res = await rawRequest(gateway.url, { path });
  expect(res.status).toBe(400);
  expect(JSON.parse(res.body.toString()).error).toBe('invalid_path');
  expect(reached()).toBe(before);
});

test('route prefixes match case-insensitively: /API/Admin/users is the /api/admin route', async () => {
  const before = api.seen.length + admin.seen.length;
  const res = await rawRequest(gateway.url, { path: '/API/Admin/users' });
  expect(res.status).toBe(401);
  expect(api.seen.length + admin.seen.length).toBe(before);
});

test.each([
  ['/api/files/v1.2..3/.hidden', '/api/files/v1.2..3/.hidden'],
  ['/api/a%20b/caf%c3%a9', '/api/a%20b/caf%C3%A9'],
  ['/api/reports/', '/api/reports/'],
  ['/api/100%25', '/api/100%25'],
  ['/api/100%2525off', '/api/100%2525off'],
  ['/api/%e6%97%a5%e6%9c%ac/%f0%9f%98%80', '/api/%E6%97%A5%E6%9C%AC/%F0%9F%98%80'],
  ["/api/sub-delims!$&'()*+,=:@", "/api/sub-delims!$&'()*+,=:@"],
])('%s passes, as %s', async (path, forwarded) => {
  const res = await rawRequest(gateway.url, { path });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body.toString()).url).toBe(forwarded);
});

describe('methods', () => {
  test('TRACE is refused with 501 and never reaches the upstream', async () => {
    const before = api.seen.length;
    const res = await rawRequest(gateway.url, { method: 'TRACE', path: '/api/posts' });
    expect(res.status).toBe(501);
    expect(JSON.parse(res.body.toString()).error).toBe('method_not_implemented');
    expect(api.seen.length).toBe(before);
  });

  test('CONNECT gets no tunnel and never reaches an upstream', async () => {
    const before = reached();
    const { port } = new URL(gateway.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`CONNECT ${new URL(api.url).host} HTTP/1.1\r\nHost: ${new URL(api.url).host}\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).not.toMatch(/^HTTP\/1\.1 2/);
    expect(reached()).toBe(before);
  });
});
