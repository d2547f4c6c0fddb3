import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

// The lean baseline of issue 13 (node:http + undici Pool.stream, no auth): what the token endpoint's
// rate is compared with in bench/token-endpoint.ts.
const pool = new Pool(process.argv[2]);

const server = http.createServer((req, res) => {
  pool
    .stream({ path: req.url ?? '/', method: 'GET', opaque: res }, ({ statusCode, opaque }) => {
      const out = opaque as http.ServerResponse;
      out.statusCode = statusCode;
      out.setHeader('content-type', 'application/json');
      return out;
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => server.close(() => pool.close().then(() => process.exit(0))));
