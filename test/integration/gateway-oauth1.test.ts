import { OAuth1Client, sendPrepared, startOAuth1Gateway, type ConsumerCredentials, type OAuth1Gateway, type Token } from '../helpers/oauth1';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// Signed OAuth 1.0a requests through the proxy, with the real OAuth 1.0a verifier.

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let upstream: TestUpstream;
let consumer: ConsumerCredentials;
let access: Token;

beforeAll(async () => {
  upstream = await startUpstream('api');
  gw = await startOAuth1Gateway({ config: { routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth1', 'oauth2'] }] } });
  const staff = await gw.fixtures.profile('staff', ['read_things']);
  await gw.fixtures.user(alice.username, alice.password, { profile: staff });
  consumer = await gw.consumer({ name: 'Legacy', xauth: true });
  const result = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body').send('POST', '/oauth/xauth_access_token', {
    x_auth_username: alice.username,
    x_auth_password: alice.password,
    x_auth_mode: 'client_auth',
  });
  expect(result.status).toBe(200);
  access = { key: result.form.oauth_token, secret: result.form.oauth_token_secret };
  gw.remember(access.key, access.secret, result.form.oauth_session_handle);
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
});

test('an HMAC-SHA1 signed GET passes with the OAuth 1.0a identity and without the credential', async () => {
  const res = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').send('GET', '/api/posts', { page: '2' }, access);
  expect(res.status).toBe(200);
  const seen = JSON.parse(res.text);
  expect(seen.url).toBe('/api/posts?page=2');
  expect(seen.headers['x-authenticated-user']).toBe('alice');
  expect(seen.headers['x-authenticated-client']).toBe(consumer.key);
  expect(seen.headers['x-authenticated-privileges']).toBe('read_things');
  expect(seen.headers['x-authenticated-scope']).toBe('');
  expect(seen.headers['x-auth-protocol']).toBe('oauth1');
  expect(seen.headers.authorization).toBeUndefined();
});

test('oauth_* query parameters of a query-signed request are not forwarded', async () => {
  const res = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query').send('GET', '/api/posts', { page: '3' }, access);
  expect(res.status).toBe(200);
  expect(JSON.parse(res.text).url).toBe('/api/posts?page=3');
});

test('a signed form body, read for the signature, reaches the upstream byte for byte', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').prepare('POST', '/api/posts', { text: 'héllo wörld & more', tag: 'a+b' }, access);
  const sent = Buffer.from(prepared.init.body as string);
  const res = await sendPrepared(prepared);
  expect(res.status).toBe(200);
  const seen = upstream.seen[upstream.seen.length - 1];
  expect(seen.body.equals(sent)).toBe(true);
  expect(seen.headers['content-length']).toBe(String(sent.length));
});

test('a replayed signed request is refused at the proxy (the nonce is spent)', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').prepare('GET', '/api/posts', {}, access, { nonce: 'gateway-replay-nonce' });
  expect((await sendPrepared(prepared)).status).toBe(200);
  const before = upstream.seen.length;
  const replay = await sendPrepared(prepared);
  expect(replay.status).toBe(401);
  expect(replay.form.oauth_problem).toBe('nonce_used');
  expect(upstream.seen.length).toBe(before);
});
