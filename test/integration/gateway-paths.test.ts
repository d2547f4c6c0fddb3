import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { rawRequest, startUpstream, type TestUpstream } from '../helpers/upstream';

// Traversal, plain or encoded at any depth, never takes a request outside its route's prefix. The
// "admin" upstream sits behind its own, stricter route: reaching it through /api would be the escape.

let gateway: TestGateway;
let api: TestUpstream;
let admin: TestUpstream;

beforeAll(async () => {
  [api, admin] = await Promise.all([startUpstream('api'), startUpstream('admin')]);
  gateway = await startTestGateway({
    config: {
      routes: [
        { prefix: '/api', upstream: api.url, accept: ['public'] },
        { prefix: '/api/admin', upstream: admin.url, accept: ['oauth2'], scopes: ['admin'] },
      ],
    },
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([api.close(), admin.close()]);
});

const attempts = [
  '/api/../admin',
  '/api/%2e%2e/admin',
  '/api/%2E%2E/admin',
  '/api/.%2E/admin',
  '/api/..%2fadmin',
  '/api%2f..%2fadmin',
  '/api/%252e%252e/admin',
  '/api/%25252e%25252e/admin',
  '/api/x/..%5cadmin',
  '/api/x/..\\admin',
  '/api/./admin/users',
  '/api/public/../admin/users',
];

test.each(attempts)('%s is refused and reaches no upstream', async (path) => {
  const before = api.seen.length + admin.seen.length;
  const res = await rawRequest(gateway.url, { path });
  expect([400, 404]).toContain(res.status);
  expect(api.seen.length + admin.seen.length).toBe(before);
});

test('a percent-encoded letter cannot route around a stricter prefix: /api/%61dmin is refused', async () => {
  const before = api.seen.length;
  const res = await rawRequest(gateway.url, { path: '/api/%61dmin/users' });
  expect(res.status).toBe(400);
  expect(api.seen.length).toBe(before);
});

test('the upstream receives the normalised path', async () => {
  const res = await rawRequest(gateway.url, { path: '/api/user/caf%c3%a9?q=%2e' });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body.toString()).url).toBe('/api/user/caf%C3%A9?q=%2e');
});

test('ordinary dots inside a segment are not dot segments', async () => {
  const res = await rawRequest(gateway.url, { path: '/api/files/v1.2..3/.x' });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body.toString()).url).toBe('/api/files/v1.2..3/.x');
});
