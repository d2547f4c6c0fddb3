import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CALLBACK_PATH, demoCallbackHeaders, demoCallbackPage } from './callback-page';

// A small REST backend in the spirit of the WebEx Social "posts" API, so a fresh checkout has
// something behind the gateway. It trusts the X-Authenticated-* headers the gateway sets.

interface Post {
  id: number;
  author: string;
  text: string;
  createdAt: string;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 65536) chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch {
        resolve(null);
      }
    });
  });
}

/** What the backend knows about the gateway in front of it: its public URL, once it listens. */
interface GatewayFront {
  publicUrl: string | null;
}

function createDemoBackend(front: GatewayFront): http.Server {
  const posts: Post[] = [{ id: 1, author: 'demo', text: 'Welcome to the oauth-gateway demo backend.', createdAt: new Date().toISOString() }];
  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://backend');
    // The gateway sends every identity field, empty when it has no value.
    const who = {
      user: req.headers['x-authenticated-user'] || null,
      user_id: req.headers['x-authenticated-user-id'] || null,
      client: req.headers['x-authenticated-client'] || null,
      scope: req.headers['x-authenticated-scope'] || null,
      protocol: req.headers['x-auth-protocol'] || null,
    };
    const path = url.pathname.replace(/\/+$/, '');
    if (path === DEMO_CALLBACK_PATH && req.method === 'GET') {
      res.writeHead(200, demoCallbackHeaders);
      return res.end(demoCallbackPage(url.searchParams, front.publicUrl));
    }
    if (path.endsWith('/whoami')) return send(res, 200, who);
    if (path.endsWith('/posts') && req.method === 'GET') return send(res, 200, { posts });
    if (path.endsWith('/posts') && req.method === 'POST') {
      const body = (await readJson(req)) as { text?: unknown } | null;
      if (!body || typeof body.text !== 'string' || body.text.length === 0) return send(res, 400, { error: 'text is required' });
      const post = { id: posts.length + 1, author: String(who.user ?? who.client ?? 'anonymous'), text: body.text.slice(0, 2000), createdAt: new Date().toISOString() };
      posts.push(post);
      return send(res, 201, post);
    }
    const match = /\/posts\/(\d+)$/.exec(path);
    if (match && req.method === 'GET') {
      const post = posts.find((p) => p.id === Number(match[1]));
      return post ? send(res, 200, post) : send(res, 404, { error: 'no such post' });
    }
    send(res, 404, { error: 'not found' });
  });
}

export interface DemoBackend {
  url: string;
  /** Tells the callback page the gateway's public URL (for its curl), once the gateway listens. */
  announce(publicUrl: string): void;
  close(): Promise<void>;
}

export async function startDemoBackend(): Promise<DemoBackend> {
  const front: GatewayFront = { publicUrl: null };
  const server = createDemoBackend(front);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    announce: (publicUrl) => {
      front.publicUrl = publicUrl;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
