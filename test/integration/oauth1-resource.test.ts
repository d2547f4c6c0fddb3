import { OAuth1Client, spyOnRepository, startOAuth1Gateway, xauthAccess, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { logWindow } from '../helpers/log-window';

// Signed resource requests (GET /oauth/whoami): the identity they yield, the in-process token
// cache that spares the database, and expiry on the gateway's manual clock.

const alice = { username: 'alice', password: 'alice-password-1' };
const bob = { username: 'bob', password: 'bob-password-12' };
let gw: OAuth1Gateway;
let consumer: ConsumerCredentials;

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  const editors = await gw.fixtures.profile('editors', ['read', 'write']);
  await gw.fixtures.profile('partners', ['partner']);
  await gw.fixtures.user(alice.username, alice.password, { profile: editors });
  await gw.fixtures.user(bob.username, bob.password);
  consumer = await gw.consumer({ name: 'Resource Reader', xauth: true, profile: 'partners' });
});
afterAll(() => gw.close());

test('a signed request yields the user, the consumer and the privileges of the user profile', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token } = await xauthAccess(client, alice);
  const me = await client.whoami(token);
  const user = await gw.deps.store.users.findByUsername('alice');
  expect(me.status).toBe(200);
  expect(me.headers.get('cache-control')).toBe('no-store');
  expect(me.json).toEqual({
    protocol: 'oauth1',
    userId: user?.id,
    username: 'alice',
    clientId: consumer.key,
    scopes: [],
    privileges: ['read', 'write'],
    expiresAt: gw.clock() + 3600 * 1000,
  });
});

test("a user without a profile gets the consumer profile's privileges", async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token } = await xauthAccess(client, bob);
  expect((await client.whoami(token)).json.privileges).toEqual(['partner']);
});

test('a request without OAuth credentials gets 401 with the OAuth challenge', async () => {
  const res = await fetch(`${gw.url}/oauth/whoami`);
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('OAuth realm="oauth-gateway"');
  expect(await res.text()).toMatch(/^oauth_problem=parameter_absent&/);
});

test('a repeat request with a verified token touches no SQL database', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token } = await xauthAccess(client, alice);
  const spies = [
    spyOnRepository(gw.deps.store.oauth1AccessTokens, 'find'),
    spyOnRepository(gw.deps.store.consumers, 'findByKey'),
    spyOnRepository(gw.deps.store.users, 'findById'),
  ];
  try {
    expect((await client.whoami(token)).status).toBe(200); // first: verified against the store
    expect(spies.map((s) => s.calls())).toEqual([1, 1, 1]);
    const before = gw.storeCalls();

    const again = await client.whoami(token);
    expect(again.status).toBe(200);
    expect(again.json.username).toBe('alice');
    expect(spies.map((s) => s.calls())).toEqual([1, 1, 1]);
    expect(gw.storeCalls()).toBe(before);
  } finally {
    spies.forEach((s) => s.restore());
  }
});

test('a cached token still needs a good signature and a fresh nonce', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token } = await xauthAccess(client, alice);
  expect((await client.whoami(token)).status).toBe(200);
  const forged = await client.whoami({ key: token.key, secret: 'wrong' });
  expect([forged.status, forged.form.oauth_problem]).toEqual([401, 'signature_invalid']);
  const options = { nonce: 'once', timestamp: Math.floor(gw.clock() / 1000) };
  expect((await client.whoami(token, options)).status).toBe(200);
  expect((await client.whoami(token, options)).form.oauth_problem).toBe('nonce_used');
});

test('an expired access token is refused with token_expired, cached or not', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token } = await xauthAccess(client, alice);
  expect((await client.whoami(token)).status).toBe(200); // now cached
  gw.clock.advance(3600 * 1000);
  try {
    const result = await client.whoami(token);
    expect([result.status, result.form.oauth_problem]).toEqual([401, 'token_expired']);
  } finally {
    gw.clock.advance(-3600 * 1000);
  }
});

test('a disabled user stops working once the cached entry ages out (at most a minute)', async () => {
  const carol = { username: 'carol', password: 'carol-password-1' };
  await gw.fixtures.user(carol.username, carol.password);
  const client = new OAuth1Client(gw, consumer);
  const { token } = await xauthAccess(client, carol);
  expect((await client.whoami(token)).status).toBe(200);
  await gw.deps.store.users.setEnabled('carol', false);
  gw.clock.advance(61 * 1000);
  try {
    const result = await client.whoami(token);
    expect([result.status, result.form.oauth_problem]).toEqual([401, 'token_rejected']);
  } finally {
    gw.clock.advance(-61 * 1000);
  }
});

test('no secret, token or password reaches the logs', async () => {
  const logs = logWindow(gw);
  const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query');
  const { token } = await xauthAccess(client, alice);
  expect((await client.whoami(token)).status).toBe(200);
  expect((await client.whoami(token)).status).toBe(200);
  expect((await client.whoami({ key: token.key, secret: 'not-the-secret' })).status).toBe(401);
  expect(logs.text()).toContain('/oauth/whoami');
  expect(logs.leakedSecrets()).toEqual([]);
});
