import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { Pool, type Dispatcher } from 'undici';
import { endToEnd } from './hop-by-hop';

// The Koa floor of issue 13: the lean baseline inside Koa (one middleware, ctx.respond = false,
// Pool.stream), i.e. what Koa itself costs a proxied request; the gateway cannot be cheaper than this.
const pool = new Pool(process.argv[2]);
const app = new Koa();

app.use(
  (ctx) =>
    new Promise<void>((resolve) => {
      ctx.respond = false;
      const { req, res } = ctx;
      const body = req.method === 'GET' || req.method === 'HEAD' ? null : req;
      const options = { path: req.url ?? '/', method: req.method as Dispatcher.HttpMethod, headers: endToEnd(req.headers), body };
      pool.stream(options, ({ statusCode, headers }) => res.writeHead(statusCode, endToEnd(headers)), (err) => {
        if (err && !res.headersSent) res.writeHead(502);
        if (err) res.end();
        resolve();
      });
    }),
);

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => pool.close().then(() => process.exit(0))));
