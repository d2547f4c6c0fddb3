import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The upstream behind every proxy in the benchmark, as in issue 13: three posts as JSON on any path,
// keep-alive, nothing else.
const posts = [1, 2, 3].map((id) => ({ userId: 1, id, title: `post ${id}`, body: `the body of post ${id}, a sentence or two of text` }));
const body = Buffer.from(JSON.stringify(posts));

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
