import { createHash, randomBytes } from 'node:crypto';
import { exportSPKI, SignJWT, UnsecuredJWT } from 'jose';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { signingKey, startJwksServer, type JwksServer, type SigningKey } from '../helpers/jwks-server';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// Hand-made JWTs (signed with jose) against an issuer that is a small JWKS server on loopback
// counting its fetches: every way a JWT must be refused, key rotation, and a flood of unknown kids.

const AUDIENCE = 'https://api.example';

let upstream: TestUpstream;
let issuer: JwksServer;
let k1: SigningKey;
let gateway: TestGateway;

async function gatewayFor(server: JwksServer, extra: Record<string, unknown> = {}): Promise<TestGateway> {
  const gw = await startTestGateway({
    config: {
      issuers: [{ name: 'hand', issuer: server.url, discovery: false, jwksUri: server.jwksUri, audiences: [AUDIENCE], ...extra }],
      routes: [{ prefix: '/h', upstream: upstream.url, accept: ['issuer:hand'] }],
    },
  });
  // The tokens carry wall-clock times.
  gw.clock.advance(Date.now() - gw.clock());
  return gw;
}

beforeAll(async () => {
  upstream = await startUpstream('api');
  issuer = await startJwksServer(AUDIENCE);
  k1 = await signingKey('k1', 'RS256');
  await issuer.publish([k1]);
  gateway = await gatewayFor(issuer);
});

afterAll(async () => {
  await gateway?.close();
  await issuer?.close();
  await upstream?.close();
});

const call = (gw: TestGateway, token: string) => gw.request('/h/x', { headers: { authorization: `Bearer ${token}` } });
const nowSeconds = (gw: TestGateway) => Math.floor(gw.clock() / 1000);

async function refusedWith(token: string, description: string): Promise<void> {
  const res = await call(gateway, token);
  expect(res.status).toBe(401);
  expect(res.json.error).toBe('invalid_token');
  expect(res.json.error_description).toBe(description);
  expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
}

test('a token signed with a published key, for this audience, passes', async () => {
  const res = await call(gateway, await issuer.sign(k1));
  expect(res.status).toBe(200);
  expect(res.json.headers['x-authenticated-user-id']).toBe('user-1');
  expect(res.json.headers['x-authenticated-issuer']).toBe('hand');
});

test('alg none is refused without a key fetch', async () => {
  await call(gateway, await issuer.sign(k1));
  const fetches = issuer.fetches();
  const now = nowSeconds(gateway);
  const unsigned = new UnsecuredJWT({ iss: issuer.url, aud: AUDIENCE, sub: 'root', exp: now + 300 }).encode();
  await refusedWith(unsigned, 'The access token is signed with an algorithm this gateway does not accept.');
  expect(issuer.fetches()).toBe(fetches);
});

test('HS256 "signed" with the issuer\'s public key is refused', async () => {
  const pem = await exportSPKI(k1.publicKey);
  const now = nowSeconds(gateway);
  const forged = await new SignJWT({ iss: issuer.url, aud: AUDIENCE, sub: 'root', exp: now + 300 })
    .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
    .sign(new TextEncoder().encode(pem));
  await refusedWith(forged, 'The access token is signed with an algorithm this gateway does not accept.');
});

test('a token for another audience is refused', async () => {
  await refusedWith(await issuer.sign(k1, { aud: 'https://other.example' }), 'The access token is not meant for this API.');
});

test('a token naming another issuer is not this issuer\'s to verify: refused as unrecognised', async () => {
  await refusedWith(await issuer.sign(k1, { iss: 'https://evil.example' }), 'The access token is not recognised.');
});

test('an expired token is refused; one that expired within the clock skew still passes', async () => {
  const now = nowSeconds(gateway);
  await refusedWith(await issuer.sign(k1, { iat: now - 600, exp: now - 31 }), 'The access token has expired.');
  expect((await call(gateway, await issuer.sign(k1, { iat: now - 600, exp: now - 10 }))).status).toBe(200);
});

test('a token not valid yet (nbf beyond the skew) is refused', async () => {
  await refusedWith(await issuer.sign(k1, { nbf: nowSeconds(gateway) + 120 }), 'The access token is not valid yet.');
});

test('a token without exp is refused', async () => {
  await refusedWith(await issuer.sign(k1, { exp: undefined }), 'The access token lacks a claim this gateway needs.');
});

test('RFC 9068 profile: a JWT not typed at+jwt is refused', async () => {
  await refusedWith(await issuer.sign(k1, {}, { typ: 'JWT' }), 'The access token is not typed as an access token (at+jwt).');
});

test('a token whose signature does not match is refused', async () => {
  const [h, p] = (await issuer.sign(k1)).split('.');
  const other = (await issuer.sign(k1, { sub: 'someone-else' })).split('.')[2];
  await refusedWith(`${h}.${p}.${other}`, 'The access token signature is invalid.');
});

test('plain profile: a JWT typed JWT (Keycloak) passes', async () => {
  const gw = await gatewayFor(issuer, { jwtProfile: 'plain' });
  try {
    expect((await call(gw, await issuer.sign(k1, {}, { typ: 'JWT' }))).status).toBe(200);
  } finally {
    await gw.close();
  }
});

test('key rotation: a token under a new kid makes the gateway fetch the key set again, old and new keys both pass', async () => {
  const server = await startJwksServer(AUDIENCE);
  const gw = await gatewayFor(server);
  try {
    const old = await signingKey('old', 'RS256');
    const rotated = await signingKey('new', 'ES256');
    await server.publish([old]);
    expect((await call(gw, await server.sign(old))).status).toBe(200);
    expect(server.fetches()).toBe(1);
    await server.publish([old, rotated]);
    gw.clock.advance(31_000);
    expect((await call(gw, await server.sign(rotated))).status).toBe(200);
    expect(server.fetches()).toBe(2);
    expect((await call(gw, await server.sign(old, { sub: 'again' }))).status).toBe(200);
    expect(server.fetches()).toBe(2);
  } finally {
    await gw.close();
    await server.close();
  }
});

test('a flood of unknown kids costs at most one key-set fetch per refresh interval', async () => {
  const server = await startJwksServer(AUDIENCE);
  const gw = await gatewayFor(server);
  try {
    const known = await signingKey('known');
    await server.publish([known]);
    expect((await call(gw, await server.sign(known))).status).toBe(200);
    // One key the issuer never published, under a new random kid each time.
    const stranger = await signingKey('stranger');
    const flood = async () => call(gw, await server.sign(stranger, {}, { kid: randomBytes(8).toString('hex') }));
    gw.clock.advance(31_000);
    const first = await Promise.all(Array.from({ length: 60 }, flood));
    expect(new Set(first.map((r) => r.status))).toEqual(new Set([401]));
    expect(first[0]!.json.error_description).toBe('The access token is signed with a key the issuer does not publish.');
    expect(server.fetches()).toBe(2);
    const second = await Promise.all(Array.from({ length: 60 }, flood));
    expect(new Set(second.map((r) => r.status))).toEqual(new Set([401]));
    expect(server.fetches()).toBe(2);
  } finally {
    await gw.close();
    await server.close();
  }
});

test('key set unavailable before the first fetch: 503 temporarily_unavailable, then a pass once it answers', async () => {
  const server = await startJwksServer(AUDIENCE);
  const gw = await gatewayFor(server);
  try {
    const key = await signingKey('k');
    await server.publish([key]);
    server.failing(true);
    const token = await server.sign(key);
    const refused = await call(gw, token);
    expect(refused.status).toBe(503);
    expect(refused.json.error).toBe('temporarily_unavailable');
    server.failing(false);
    gw.clock.advance(5_000);
    expect((await call(gw, token)).status).toBe(200);
  } finally {
    await gw.close();
    await server.close();
  }
});

test('discovery: the key set is found through RFC 8414 metadata; metadata naming another issuer is ignored', async () => {
  const server = await startJwksServer(AUDIENCE);
  const key = await signingKey('d');
  await server.publish([key]);
  server.metadata({ issuer: 'https://impostor.example', jwks_uri: server.jwksUri });
  const gw = await startTestGateway({
    config: {
      issuers: [{ name: 'disc', issuer: server.url, audiences: [AUDIENCE] }],
      routes: [{ prefix: '/d', upstream: upstream.url, accept: ['issuer:disc'] }],
    },
  });
  gw.clock.advance(Date.now() - gw.clock());
  try {
    const token = await server.sign(key);
    const refused = await gw.request('/d/x', { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(503);
    expect(gw.logText()).toContain('the metadata names another issuer');
    server.metadata({ issuer: server.url, jwks_uri: server.jwksUri });
    gw.clock.advance(5_000);
    const res = await gw.request('/d/x', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.json.headers['x-authenticated-issuer']).toBe('disc');
  } finally {
    await gw.close();
    await server.close();
  }
});

test('refused tokens never reach the log', async () => {
  const token = await issuer.sign(k1, { aud: 'https://other.example' });
  await call(gateway, token);
  const signature = token.split('.')[2]!;
  expect(gateway.logText()).not.toContain(signature);
  expect(gateway.logText()).not.toContain(createHash('sha256').update(token).digest('hex'));
});

test('an issuer with introspection and no key set: its JWTs are introspected, not verified locally', async () => {
  const server = await startJwksServer(AUDIENCE);
  const key = await signingKey('i');
  const token = await server.sign(key);
  server.introspection((t) => (t === token ? { active: true, iss: server.url, aud: AUDIENCE, sub: 'introspected-user', client_id: 'app', scope: 'read' } : { active: false }));
  const gw = await startTestGateway({
    config: {
      issuers: [{ name: 'opaque-only', issuer: server.url, discovery: false, audiences: [AUDIENCE], introspection: { url: `${server.url}/introspect`, clientId: 'gateway', clientSecret: 'gateway-secret-0123456789' } }],
      routes: [{ prefix: '/o', upstream: upstream.url, accept: ['issuer:opaque-only'] }],
    },
  });
  gw.clock.advance(Date.now() - gw.clock());
  try {
    const res = await gw.request('/o/x', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.json.headers['x-authenticated-user-id']).toBe('introspected-user');
    expect(server.introspections()).toBe(1);
    expect(server.fetches()).toBe(0);
    const other = await gw.request('/o/x', { headers: { authorization: `Bearer ${await server.sign(key, { sub: 'x' })}` } });
    expect(other.status).toBe(401);
  } finally {
    await gw.close();
    await server.close();
  }
});
