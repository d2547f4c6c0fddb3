import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The stub API behind every proxy in the benchmark: a tiny JSON answer, keep-alive, nothing else.
const body = JSON.stringify({ id: 1, text: 'hello from the stub upstream' });

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
