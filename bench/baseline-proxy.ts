import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

// The baseline: what a reverse proxy costs with node:http and undici and nothing else (no auth,
// no route table, no logging). The gateway's public route is measured against it.
const pool = new Pool(process.argv[2]);
const hop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'te', 'trailer', 'proxy-connection']);
const strip = (headers: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([n]) => !hop.has(n))) as Record<string, string>;

const server = http.createServer(async (req, res) => {
  try {
    const bodyless = req.method === 'GET' || req.method === 'HEAD';
    const up = await pool.request({ path: req.url ?? '/', method: req.method as 'GET', headers: strip(req.headers), body: bodyless ? null : req });
    res.writeHead(up.statusCode, strip(up.headers));
    await pipeline(up.body, res);
  } catch {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  }
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => server.close(() => pool.close().then(() => process.exit(0))));
