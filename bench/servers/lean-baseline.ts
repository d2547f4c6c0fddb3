import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { endToEnd } from './hop-by-hop';

// The lean baseline of issue 13: a reverse proxy with node:http and undici's Pool.stream (which
// writes the upstream's body straight into the response) and nothing else: no auth, no route table,
// no logging. Every row of the benchmark is a ratio to it.
const pool = new Pool(process.argv[2]);

const server = http.createServer((req, res) => {
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : req;
  const options = { path: req.url ?? '/', method: req.method as Dispatcher.HttpMethod, headers: endToEnd(req.headers), body };
  pool.stream(options, ({ statusCode, headers }) => res.writeHead(statusCode, endToEnd(headers)), (err) => {
    if (err && !res.headersSent) res.writeHead(502);
    if (err) res.end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => server.close(() => pool.close().then(() => process.exit(0))));
