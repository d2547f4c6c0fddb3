import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import { startUpstream, type TestUpstream } from './upstream';

/**
 * Upstreams that read requests the way real frameworks behind a gateway do, so a test can show what
 * a spelling the gateway let through would have reached. Each answers JSON and records what it saw.
 */

export interface FrameworkUpstream {
  url: string;
  /** How many requests reached it. */
  count(): number;
  close(): Promise<void>;
}

/**
 * A Koa app with @koa/router (case-insensitive by default, as Express is): `/k/admin/*` is its admin
 * handler, anything else under `/k` an ordinary one.
 */
export async function startKoaUpstream(): Promise<FrameworkUpstream> {
  let count = 0;
  const app = new Koa();
  const router = new Router();
  router.all('/k/admin{/*rest}', (ctx) => {
    ctx.body = { handler: 'admin', path: ctx.path };
  });
  router.all('/k{/*rest}', (ctx) => {
    ctx.body = { handler: 'other', path: ctx.path };
  });
  app.use(async (_ctx, next) => {
    count++;
    await next();
  });
  app.use(router.routes());
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The servlet container's reading of a path (Jetty, Tomcat): `;parameters` cut from every segment,
 * escapes decoded, empty segments dropped, dot segments resolved.
 */
export function servletPath(target: string): string {
  const raw = target.split('?', 1)[0];
  const out: string[] = [];
  for (const segment of raw.split('/')) {
    const name = decodeURIComponent(segment.split(';', 1)[0]);
    if (name === '' || name === '.') continue;
    if (name === '..') out.pop();
    else out.push(name);
  }
  return '/' + out.join('/');
}

/** A Jetty-like upstream: its `/j/internal/*` servlet is chosen on servletPath(), not the raw path. */
export async function startServletUpstream(): Promise<TestUpstream> {
  return startUpstream('servlet', (_req, res, seen) => {
    const path = servletPath(seen.url);
    const servlet = path === '/j/internal' || path.startsWith('/j/internal/') ? 'internal' : 'default';
    const text = JSON.stringify({ servlet, path });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return true;
  });
}

/**
 * The CGI/WSGI environ a header list becomes (Python's wsgiref, PEP 3333): "-" and "_" both become
 * "_", names are upper-cased under HTTP_, and repeats are joined with commas, so X_Authenticated_User
 * and X-Authenticated-User land in the same variable.
 */
export function wsgiEnviron(rawHeaders: readonly string[]): Record<string, string> {
  const environ: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const key = 'HTTP_' + rawHeaders[i].replace(/-/g, '_').toUpperCase();
    const value = rawHeaders[i + 1].trim();
    environ[key] = key in environ ? `${environ[key]},${value}` : value;
  }
  return environ;
}

/** A WSGI-like upstream: answers `{ environ }` as wsgiEnviron() reads the request's headers. */
export async function startWsgiUpstream(): Promise<TestUpstream> {
  return startUpstream('wsgi', (_req, res, seen) => {
    const text = JSON.stringify({ environ: wsgiEnviron(seen.rawHeaders) });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return true;
  });
}
