import Router from '@koa/router';
import { ownPathMatcher } from '../../src/gateway/own-paths';

const noop = async () => undefined;

function literalRouter(): Router {
  const inner = new Router();
  inner.get('/oauth/request_token', noop).post('/oauth/request_token', noop);
  const own = new Router();
  own.get('/healthz', noop);
  own.post('/api/oauth', noop);
  own.get('/api/oauth/privileges', noop);
  own.use(inner.routes());
  return own;
}

// Variants the router itself accepts or refuses: case, trailing slashes, encodings, near misses.
const paths = [
  '/healthz', '/healthz/', '/HEALTHZ', '/healthz//', '/healthz/x', '/health', '/',
  '/api/oauth', '/api/oauth/', '/API/OAuth', '/api/oauth/privileges', '/api/oauth/privileges/',
  '/api/oauth/other', '/api/items', '/api', '/api/', '/api/oauth%2Fprivileges', '/%61pi/oauth',
  '/oauth/request_token', '/oauth/Request_Token/', '/oauth/request_token.json',
];
const methods = ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'];

describe('ownPathMatcher', () => {
  test('agrees with router.match on every path and method', () => {
    const own = literalRouter();
    const matcher = ownPathMatcher(own);
    for (const path of paths) {
      for (const method of methods) {
        expect([path, method, matcher(path, method)]).toEqual([path, method, own.match(path, method).path.length > 0]);
      }
    }
  });

  test('says yes to the own paths in the forms the router accepts and no to proxied paths', () => {
    const matcher = ownPathMatcher(literalRouter());
    expect(matcher('/HEALTHZ/', 'GET')).toBe(true);
    expect(matcher('/api/oauth', 'DELETE')).toBe(true);
    expect(matcher('/api/items', 'GET')).toBe(false);
    expect(matcher('/api/oauth/other', 'POST')).toBe(false);
  });

  test('with a parameterised layer it leaves every decision to the router', () => {
    const own = literalRouter();
    own.get('/clients/:id', noop);
    const matcher = ownPathMatcher(own);
    expect(matcher('/clients/abc', 'GET')).toBe(true);
    expect(matcher('/clients', 'GET')).toBe(own.match('/clients', 'GET').path.length > 0);
    for (const path of paths) expect(matcher(path, 'GET')).toBe(own.match(path, 'GET').path.length > 0);
  });
});
