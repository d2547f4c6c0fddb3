import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  publicKey: KeyLike;
}

export async function signingKey(kid: string, alg: 'RS256' | 'ES256' = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey };
}

export interface JwksServer {
  /** Acts as the issuer: its URL is the `iss` of the tokens signed here. */
  url: string;
  jwksUri: string;
  /** The keys published from now on. */
  publish(keys: SigningKey[]): Promise<void>;
  /** How many times the key set was fetched. */
  fetches(): number;
  /** The metadata served at /.well-known/oauth-authorization-server (RFC 8414); null: 404. */
  metadata(doc: Record<string, unknown> | null): void;
  /** Answers RFC 7662 introspection at /introspect: the answer for each token (default: inactive). */
  introspection(answer: (token: string) => Record<string, unknown>): void;
  /** How many introspection calls were made. */
  introspections(): number;
  /** Stops answering the key set (500) while true. */
  failing(on: boolean): void;
  /** An RFC 9068 access token (typ at+jwt) signed with the key; claims override the defaults. */
  sign(key: SigningKey, claims?: JWTPayload, header?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * A small issuer on loopback that publishes a JSON Web Key Set and counts the fetches, for
 * hand-made tokens: signed with jose, with any claims and header the test wants.
 */
export async function startJwksServer(audience: string): Promise<JwksServer> {
  let body = JSON.stringify({ keys: [] });
  let count = 0;
  let fail = false;
  let metadata: string | null = null;
  let introspect: (token: string) => Record<string, unknown> = () => ({ active: false });
  let introspected = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/jwks') {
      count += 1;
      if (fail) return void res.writeHead(500).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    if (req.url === '/introspect' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        introspected += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(introspect(new URLSearchParams(body).get('token') ?? '')));
      });
      return;
    }
    if (req.url === '/.well-known/oauth-authorization-server' && metadata !== null) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(metadata);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jwksUri: `${url}/jwks`,
    async publish(keys) {
      const jwks = await Promise.all(keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: k.alg, use: 'sig' })));
      body = JSON.stringify({ keys: jwks });
    },
    fetches: () => count,
    introspection(answer) {
      introspect = answer;
    },
    introspections: () => introspected,
    metadata(doc) {
      metadata = doc === null ? null : JSON.stringify(doc);
    },
    failing(on) {
      fail = on;
    },
    async sign(key, claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: url, aud: audience, sub: 'user-1', client_id: 'app', scope: 'read', iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
        .sign(key.privateKey);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
