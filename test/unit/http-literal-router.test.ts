import Router from '@koa/router';
import Koa from 'koa';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoizeLiteralMatch } from '../../src/http/literal-router';

const noop = async () => undefined;

/** The same routes on a plain router and with memoizeLiteralMatch. */
function both(): [Router, Router] {
  const build = (own: Router) => {
    const inner = new Router();
    inner.get('/oauth/request_token', noop).post('/oauth/request_token', noop);
    own.get('/healthz', noop);
    own.post('/api/oauth', noop);
    own.get('/api/oauth/privileges', noop);
    own.use(inner.routes());
    return own;
  };
  return [build(new Router()), build(memoizeLiteralMatch(new Router()))];
}

const paths = [
  '/healthz', '/healthz/', '/HEALTHZ', '/healthz//', '/healthz/x', '/health', '/',
  '/api/oauth', '/api/oauth/', '/API/OAuth', '/api/oauth/privileges', '/api/oauth/privileges/',
  '/api/oauth/other', '/api/items', '/api/oauth%2Fprivileges', '/%61pi/oauth',
  '/oauth/request_token', '/oauth/Request_Token/', '/oauth/request_token.json',
];
const methods = ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'];

/** A match result by layer paths and methods, comparable across two routers. */
const shape = (m: ReturnType<Router['match']>) => ({
  path: m.path.map((l) => `${l.methods.join('|')} ${l.path}`),
  pathAndMethod: m.pathAndMethod.map((l) => `${l.methods.join('|')} ${l.path}`),
  route: m.route,
});

describe('memoizeLiteralMatch', () => {
  test('matches exactly as the router does, the first time and from its memo', () => {
    const [plain, literal] = both();
    for (let pass = 0; pass < 2; pass++) {
      for (const path of paths) {
        for (const method of methods) {
          expect([path, method, shape(literal.match(path, method))]).toEqual([path, method, shape(plain.match(path, method))]);
        }
      }
    }
  });

  test('hands out a fresh path array, so appending to one answer leaves the next intact', () => {
    const [, literal] = both();
    const first = literal.match('/healthz', 'GET');
    const length = first.path.length;
    expect(length).toBeGreaterThan(0);
    first.path.push(...first.path);
    expect(literal.match('/healthz', 'GET').path).toHaveLength(length);
  });

  test('a parameterised layer, even one added after the first match, turns the memo off', () => {
    const [plain, literal] = both();
    expect(literal.match('/clients/abc', 'GET').route).toBe(false);
    literal.get('/clients/:id', noop);
    plain.get('/clients/:id', noop);
    expect(literal.match('/clients/abc', 'GET').route).toBe(true);
    for (const path of [...paths, '/clients/x', '/clients']) expect(shape(literal.match(path, 'GET'))).toEqual(shape(plain.match(path, 'GET')));
  });

  test('a literal layer added after the first match is found', () => {
    const [, literal] = both();
    expect(literal.match('/late', 'GET').route).toBe(false);
    literal.get('/late', noop);
    expect(literal.match('/late', 'GET').route).toBe(true);
  });

  test('dispatches requests over HTTP with the memo: handler, 404 and ctx.matched per request', async () => {
    const router = memoizeLiteralMatch(new Router<unknown, { matched?: unknown[] }>());
    router.get('/hello', (ctx) => {
      ctx.body = { matched: ctx.matched?.length };
    });
    const app = new Koa();
    app.use(router.routes());
    app.use(router.allowedMethods());
    const server = http.createServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${base}/HELLO/`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ matched: 1 });
      }
      expect((await fetch(`${base}/hello`, { method: 'POST' })).status).toBe(405);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
