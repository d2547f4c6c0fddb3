import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { BENCH_AUDIENCE } from '../issuer-client';

// The external authorization server of the `jwt` and `introspection` targets: discovery metadata,
// a JWKS with one ES256 key, and RFC 7662 introspection that knows one opaque token. GET
// /bench-tokens hands the runner that token and a JWT access token for the bench audience; both
// outlive any run, so the gateway verifies each once and then serves it from its cache.


async function main(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const opaque = randomBytes(32).toString('base64url');
  const server = http.createServer();
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', async () => {
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const exp = Math.floor(Date.now() / 1000) + 12 * 3600;
    const jwt = await new SignJWT({ iss: issuer, aud: BENCH_AUDIENCE, sub: 'bench-user', client_id: 'bench', scope: 'read', exp })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'at+jwt' })
      .setIssuedAt()
      .sign(privateKey);
    const json = (res: http.ServerResponse, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    };
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/.well-known/openid-configuration') return json(res, { issuer, jwks_uri: `${issuer}/jwks`, introspection_endpoint: `${issuer}/introspect` });
        if (req.url === '/jwks') return json(res, { keys: [jwk] });
        if (req.url === '/bench-tokens') return json(res, { jwt, opaque });
        if (req.url === '/introspect' && req.method === 'POST') {
          const token = new URLSearchParams(body).get('token');
          return json(res, token === opaque ? { active: true, iss: issuer, aud: BENCH_AUDIENCE, sub: 'bench-user', client_id: 'bench', scope: 'read', exp } : { active: false });
        }
        res.writeHead(404).end();
      });
    });
    process.send?.({ ready: true, url: issuer });
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
