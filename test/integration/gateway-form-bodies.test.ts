import { randomBytes } from 'node:crypto';
import { basicAuth, form } from '../helpers/gateway';
import { OAuth1Client, parseFormBody, sendPrepared, startOAuth1Gateway, type ConsumerCredentials, type OAuth1Gateway, type Token } from '../helpers/oauth1';
import { rawRequest, sha256, startUpstream, type TestUpstream } from '../helpers/upstream';

// Form bodies on routes that accept OAuth 1.0a: a body read for a signature loses its oauth_*
// parameters on the way up; a body that cannot be a signed one (the request carries a bearer token) is
// not read at all, so only the route's own size cap applies to it.

const MB = 1024 * 1024;
const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let upstream: TestUpstream;
let consumer: ConsumerCredentials;
let access: Token;
let clientSecret: string;

beforeAll(async () => {
  upstream = await startUpstream('api');
  gw = await startOAuth1Gateway({
    config: {
      routes: [
        { prefix: '/api', upstream: upstream.url, accept: ['oauth1', 'oauth2'] },
        { prefix: '/raw', upstream: upstream.url, accept: ['oauth1'], forwardCredentials: true },
      ],
    },
  });
  await gw.fixtures.user(alice.username, alice.password);
  consumer = await gw.consumer({ name: 'Legacy', xauth: true });
  const result = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body').send('POST', '/oauth/xauth_access_token', {
    x_auth_username: alice.username,
    x_auth_password: alice.password,
    x_auth_mode: 'client_auth',
  });
  expect(result.status).toBe(200);
  access = { key: result.form.oauth_token, secret: result.form.oauth_token_secret };
  gw.remember(access.key, access.secret, result.form.oauth_session_handle);
  clientSecret = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'client_credentials', scopes: 'read' })).secret!;
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const lastSeen = () => upstream.seen[upstream.seen.length - 1];

test('a body-signed request reaches the upstream without its oauth_* parameters, with a matching Content-Length', async () => {
  const res = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body').send('POST', '/api/posts', { text: 'héllo & more', tag: 'a+b' }, access);
  expect(res.status).toBe(200);
  const seen = lastSeen();
  const fields = parseFormBody(seen.body.toString('utf8'));
  expect(fields).toEqual({ text: 'héllo & more', tag: 'a+b' });
  expect(seen.headers['content-length']).toBe(String(seen.body.length));
});

test('oauth_* names hidden behind escapes are removed too; other pairs keep their exact bytes', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body').prepare('POST', '/api/posts', { plain: '~A', note: 'x y' }, access);
  // Other spellings of the same parameters: the signature covers decoded names and values, so it still holds.
  const body = (prepared.init.body as string).replace('oauth_signature=', 'oauth%5Fsignature=').replace('oauth_nonce=', 'oauth%5fnonce=').replace('plain=~A', 'plain=%7e%41');
  expect(body).toContain('oauth%5Fsignature=');
  const res = await sendPrepared({ url: prepared.url, init: { ...prepared.init, body } });
  expect(res.status).toBe(200);
  const sent = lastSeen().body.toString('latin1');
  expect(sent).not.toMatch(/oauth/i);
  expect(sent.split('&').sort()).toEqual(['note=x%20y', 'plain=%7e%41']);
});

test('a route with forwardCredentials forwards the signed body as it came', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body').prepare('POST', '/raw/posts', { text: 'kept' }, access);
  const res = await sendPrepared(prepared);
  expect(res.status).toBe(200);
  expect(lastSeen().body.toString('utf8')).toBe(prepared.init.body);
});

test('a 2 MB form POST with a bearer token streams to a route that allows 50 MB (not read for a signature)', async () => {
  const f = form({ grant_type: 'client_credentials', scope: 'read' });
  const issued = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', clientSecret) } });
  expect(issued.status).toBe(200);
  const body = Buffer.from(`data=${randomBytes(MB).toString('hex')}&oauth_consumer_key=not-a-signature`);
  expect(body.length).toBeGreaterThan(gw.deps.config.server.bodyLimitBytes);
  const res = await rawRequest(gw.url, {
    method: 'POST',
    path: '/api/upload',
    headers: { authorization: `Bearer ${issued.json.access_token}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length },
    body,
  });
  expect(res.status).toBe(200);
  const seen = JSON.parse(res.body.toString());
  expect(seen.bodyLength).toBe(body.length);
  expect(seen.bodySha256).toBe(sha256(body));
  expect(seen.headers['x-auth-protocol']).toBe('oauth2');
});
