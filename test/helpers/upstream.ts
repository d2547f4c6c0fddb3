import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** What the upstream saw of one request. */
export interface SeenRequest {
  method: string;
  /** The request target exactly as received (path and query). */
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  bodyLength: number;
  bodySha256: string;
  body: Buffer;
}

export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse, seen: SeenRequest) => boolean | void;

export interface TestUpstream {
  url: string;
  name: string;
  /** Every request received so far, in order. */
  seen: SeenRequest[];
  /** Requests whose path starts with the given text. */
  seenUnder(prefix: string): SeenRequest[];
  close(): Promise<void>;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const keepBodiesUpTo = 1024 * 1024;

/**
 * A real HTTP server on loopback that records every request and answers:
 * - GET /download?bytes=N: N random bytes, streamed, with their SHA-256 in X-Body-Sha256;
 * - /hang: never answers (a timeout test);
 * - anything else: JSON echo of method, url, headers and body size/hash, plus X-Upstream: <name>.
 * A custom handler runs first and may answer itself (return true).
 */
export async function startUpstream(name = 'upstream', handler?: UpstreamHandler): Promise<TestUpstream> {
  const seen: SeenRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
      if (length <= keepBodiesUpTo) chunks.push(chunk);
    });
    req.on('end', () => {
      const record: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        bodyLength: length,
        bodySha256: hash.digest('hex'),
        body: Buffer.concat(chunks),
      };
      seen.push(record);
      if (handler?.(req, res, record)) return;
      const url = new URL(record.url, 'http://upstream');
      if (url.pathname.endsWith('/hang')) {
        hanging.add(res);
        return;
      }
      if (url.pathname.endsWith('/download')) {
        const body = randomBytes(Number(url.searchParams.get('bytes') ?? '0'));
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-body-sha256': sha256(body), 'x-upstream': name });
        // Written in pieces so the gateway has to stream, not buffer one chunk.
        for (let i = 0; i < body.length; i += 256 * 1024) res.write(body.subarray(i, i + 256 * 1024));
        res.end();
        return;
      }
      const text = JSON.stringify({
        upstream: name,
        method: record.method,
        url: record.url,
        headers: record.headers,
        bodyLength: record.bodyLength,
        bodySha256: record.bodySha256,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-upstream': name });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    name,
    seen,
    seenUnder: (prefix) => seen.filter((r) => r.url.startsWith(prefix)),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

/**
 * One request through node:http with the target and header fields exactly as given: no URL
 * normalisation (fetch would resolve "/api/../admin"), and fields fetch forbids (Connection, TE...).
 */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: http.OutgoingHttpHeaders; body?: Buffer | string | Iterable<Buffer> },
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const body = options.body;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    for (const chunk of body) req.write(chunk);
    req.end();
  });
}
