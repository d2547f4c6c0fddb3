import { RedisCache, type Cache } from '../../src/cache';
import { logWindow } from '../helpers/log-window';
import { freePort, randomKeyPrefix } from '../helpers/redis';
import { OAuth1Client, sendPrepared, startOAuth1Gateway, xauthAccess, type ConsumerCredentials, type OAuth1Gateway, type Token } from '../helpers/oauth1';

// The nonce is the one shared-state check of a signed request: atomic with either cache, and
// when the configured Redis is down the answer is 503, never a pass.

const alice = { username: 'alice', password: 'alice-password-1' };

describe.each(['memory', 'redis'] as const)('with the %s cache', (cache) => {
  let gw: OAuth1Gateway;
  let client: OAuth1Client;

  beforeAll(async () => {
    gw = await startOAuth1Gateway({ cache });
    await gw.fixtures.user(alice.username, alice.password);
    client = new OAuth1Client(gw, await gw.consumer({ name: 'Replayer', xauth: true }));
  });
  afterAll(() => gw.close());

  test('20 identical resource requests in parallel: exactly one succeeds, the others get nonce_used', async () => {
    const { token } = await xauthAccess(client, alice);
    const prepared = client.prepare('GET', '/oauth/whoami', {}, token);
    const results = await Promise.all(Array.from({ length: 20 }, () => sendPrepared(prepared)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => r.form.oauth_problem)).toEqual(Array(19).fill('nonce_used'));
  });

  test('20 identical requests with a token already cached in process: exactly one succeeds', async () => {
    const { token } = await xauthAccess(client, alice);
    expect((await client.whoami(token)).status).toBe(200);
    const prepared = client.prepare('GET', '/oauth/whoami', {}, token);
    const results = await Promise.all(Array.from({ length: 20 }, () => sendPrepared(prepared)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(401)]);
  });

  test('20 identical request_token requests in parallel issue exactly one request token', async () => {
    const prepared = client.prepare('POST', '/oauth/request_token', { oauth_callback: 'oob' });
    const results = await Promise.all(Array.from({ length: 20 }, () => sendPrepared(prepared)));
    const issued = results.filter((r) => r.status === 200);
    issued.forEach((r) => gw.remember(r.form.oauth_token, r.form.oauth_token_secret));
    expect(issued).toHaveLength(1);
  });

  test('the same nonce with another timestamp is a different request', async () => {
    const { token } = await xauthAccess(client, alice);
    const now = Math.floor(gw.clock() / 1000);
    expect((await client.whoami(token, { nonce: 'n-1', timestamp: now })).status).toBe(200);
    expect((await client.whoami(token, { nonce: 'n-1', timestamp: now - 1 })).status).toBe(200);
  });

  test('no secret, token or password reaches the logs', async () => {
    const logs = logWindow(gw);
    const { token } = await xauthAccess(client, alice);
    const prepared = client.prepare('GET', '/oauth/whoami', {}, token);
    expect((await sendPrepared(prepared)).status).toBe(200);
    expect((await sendPrepared(prepared)).form.oauth_problem).toBe('nonce_used');
    expect(logs.text()).toContain('/oauth/whoami');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});

describe('with Redis configured but down', () => {
  let gw: OAuth1Gateway;
  let consumer: ConsumerCredentials;
  let token: Token;
  let working: Cache;
  let down: RedisCache;

  beforeAll(async () => {
    gw = await startOAuth1Gateway();
    await gw.fixtures.user(alice.username, alice.password);
    consumer = await gw.consumer({ name: 'Unlucky', xauth: true });
    const client = new OAuth1Client(gw, consumer);
    ({ token } = await xauthAccess(client, alice));
    expect((await client.whoami(token)).status).toBe(200); // the token is now cached in process
    // The app reads deps.cache per request: from here on its shared cache is a Redis nobody answers.
    working = gw.deps.cache;
    down = new RedisCache({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: randomKeyPrefix('oauth1down') });
    gw.deps.cache = down;
  });
  afterAll(async () => {
    gw.deps.cache = working;
    await down.close().catch(() => undefined);
    await gw.close();
  });

  test('request_token answers 503', async () => {
    const result = await new OAuth1Client(gw, consumer).send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
    expect(result.status).toBe(503);
    expect(result.headers.get('retry-after')).toBeTruthy();
  });

  test('a resource request with a token cached in process answers 503: the nonce cannot be checked', async () => {
    const result = await new OAuth1Client(gw, consumer).whoami(token);
    expect(result.status).toBe(503);
  });

  test('xauth_access_token answers 503', async () => {
    const result = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body').send('POST', '/oauth/xauth_access_token', {
      x_auth_username: alice.username,
      x_auth_password: alice.password,
      x_auth_mode: 'client_auth',
    });
    expect(result.status).toBe(503);
  });

  test('a bad signature is still refused as such: the cache is asked only after the signature holds', async () => {
    const result = await new OAuth1Client(gw, { key: consumer.key, secret: 'wrong' }).whoami(token);
    expect([result.status, result.form.oauth_problem]).toEqual([401, 'signature_invalid']);
  });

  test('no secret, token or password reaches the logs', async () => {
    const logs = logWindow(gw);
    const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body');
    expect((await client.whoami(token)).status).toBe(503);
    const xauth = await client.send('POST', '/oauth/xauth_access_token', { x_auth_username: alice.username, x_auth_password: alice.password, x_auth_mode: 'client_auth' });
    expect(xauth.status).toBe(503);
    expect((await new OAuth1Client(gw, { key: consumer.key, secret: 'wrong' }).whoami(token)).status).toBe(401);
    expect(logs.text()).toContain('/oauth/xauth_access_token');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});
