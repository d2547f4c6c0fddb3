import { routeSchema, type RouteConfig } from '../../src/config';
import { normalisePath } from '../../src/gateway/path';
import { matchRoute, routeTable, upstreamFor, upstreamPath } from '../../src/gateway/routes';

// The route table as pure functions (no server): defaults, matching, path joining.

const route = (r: Partial<RouteConfig> & { prefix: string; upstream: string }): RouteConfig => routeSchema.parse(r);

test('GATEWAY_UPSTREAM alone gives one /api route accepting both protocols', () => {
  const [only, ...rest] = routeTable({ routes: [], upstream: 'http://backend:9000' });
  expect(rest).toEqual([]);
  expect(only).toMatchObject({ prefix: '/api', upstream: 'http://backend:9000', accept: ['oauth1', 'oauth2'], stripPrefix: false });
});

test('a configured /api route takes precedence over the upstream default', () => {
  const table = routeTable({ routes: [route({ prefix: '/api/', upstream: 'http://a', accept: ['public'] })], upstream: 'http://b' });
  expect(table).toHaveLength(1);
  expect(table[0]).toMatchObject({ prefix: '/api', upstream: 'http://a' });
});

// Duplicate and non-canonical prefixes are refused by the config schema (test/unit/config.test.ts).

test('the longest prefix wins whatever the configured order', () => {
  const table = routeTable({
    routes: [route({ prefix: '/', upstream: 'http://root' }), route({ prefix: '/api', upstream: 'http://api' }), route({ prefix: '/api/v2', upstream: 'http://v2' })],
    upstream: null,
  });
  expect(matchRoute(table, '/api/v2/x')?.upstream).toBe('http://v2');
  expect(matchRoute(table, '/api/v20')?.upstream).toBe('http://api');
  expect(matchRoute(table, '/apiary')?.upstream).toBe('http://root');
});

test('without a root route an unmatched path matches nothing', () => {
  expect(matchRoute(routeTable({ routes: [route({ prefix: '/api', upstream: 'http://a' })], upstream: null }), '/other')).toBeNull();
});

test('unsafe methods use the write upstream when there is one', () => {
  const [r] = routeTable({ routes: [route({ prefix: '/api', upstream: 'http://read', writeUpstream: 'http://write' })], upstream: null });
  expect(['GET', 'HEAD', 'OPTIONS'].map((m) => upstreamFor(r, m))).toEqual(['http://read', 'http://read', 'http://read']);
  expect(['POST', 'PUT', 'PATCH', 'DELETE'].map((m) => upstreamFor(r, m))).toEqual(Array(4).fill('http://write'));
});

test('upstream paths join the upstream base path, with or without the prefix', () => {
  const [kept] = routeTable({ routes: [route({ prefix: '/api', upstream: 'http://u/base/' })], upstream: null });
  const [stripped] = routeTable({ routes: [route({ prefix: '/api', upstream: 'http://u/base', stripPrefix: true })], upstream: null });
  expect(upstreamPath(kept, kept.upstream, '/api/x', 'a=1')).toBe('/base/api/x?a=1');
  expect(upstreamPath(stripped, stripped.upstream, '/api/x', '')).toBe('/base/x');
  expect(upstreamPath(stripped, stripped.upstream, '/api', '')).toBe('/base');
});

test('a stripped prefix on an upstream without a base path leaves the root', () => {
  const [r] = routeTable({ routes: [route({ prefix: '/api', upstream: 'http://u', stripPrefix: true })], upstream: null });
  expect(upstreamPath(r, r.upstream, '/api', 'q=1')).toBe('/?q=1');
});

test.each(['/a/../b', '/a/%2e%2E/b', '/a%2Fb', '/a%5cb', '/a/%252e%252e/b', '/a/%00', 'relative', '/%41pi', '/a/%7Ex', '/a;b', '/a//b', '/a./b', '/a%20/b'])(
  'normalisePath refuses %s',
  (path) => {
    expect(() => normalisePath(path)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_path' }));
  },
);

test('normalisePath upper-cases escapes and keeps everything else', () => {
  expect(normalisePath('/Api/x/%e2%82%ac/100%25/')).toBe('/Api/x/%E2%82%AC/100%25/');
});

test('prefixes match case-insensitively, on whole segments', () => {
  const table = routeTable({ routes: [route({ prefix: '/api', upstream: 'http://api' }), route({ prefix: '/api/Admin', upstream: 'http://admin' })], upstream: null });
  expect(matchRoute(table, '/API/ADMIN/x')?.upstream).toBe('http://admin');
  expect(matchRoute(table, '/Api/adminx')?.upstream).toBe('http://api');
});
