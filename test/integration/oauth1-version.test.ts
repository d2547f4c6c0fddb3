import {
  Browser,
  OAuth1Client,
  authorizeInBrowser,
  callbackParameters,
  startOAuth1Gateway,
  tokenOf,
  type ConsumerCredentials,
  type OAuth1Gateway,
} from '../helpers/oauth1';

// oauth_version: RFC 5849 says 1.0; "1.0a" is the name of the 2009 revision that added
// oauth_callback_confirmed and oauth_verifier, and clients send it (node-oauth's README example
// does). The gateway reads 1.0a and 1.0A as 1.0 and refuses every other version.

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let consumer: ConsumerCredentials;

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  await gw.fixtures.user(alice.username, alice.password);
  consumer = await gw.consumer({ name: 'node-oauth style', xauth: true });
});
afterAll(() => gw.close());

test.each(['1.0a', '1.0A'])('a client signing oauth_version=%s gets through the three-legged flow', async (version) => {
  const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header');
  const requested = await client.send('POST', '/oauth/request_token', { oauth_callback: 'https://consumer.example/cb' }, undefined, { version });
  expect(requested.status).toBe(200);
  const requestToken = tokenOf(requested.form);
  gw.remember(requestToken.key, requestToken.secret);

  const { answer } = await authorizeInBrowser(new Browser(gw.url), requested.form.xoauth_user_auth_url, alice);
  const verifier = callbackParameters(answer.location as string).get('oauth_verifier') as string;
  gw.remember(verifier);

  const access = await client.send('POST', '/oauth/access_token', { oauth_verifier: verifier }, requestToken, { version });
  expect(access.status).toBe(200);
  gw.remember(access.form.oauth_token, access.form.oauth_token_secret, access.form.oauth_session_handle);

  const me = await client.whoami(tokenOf(access.form), { version });
  expect([me.status, me.json?.username]).toEqual([200, 'alice']);
});

test.each(['1.0a', '1.0A'])('xAuth and refresh take oauth_version=%s', async (version) => {
  const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body');
  const credentials = { x_auth_username: alice.username, x_auth_password: alice.password, x_auth_mode: 'client_auth' };
  const access = await client.send('POST', '/oauth/xauth_access_token', credentials, undefined, { version });
  expect(access.status).toBe(200);
  gw.remember(access.form.oauth_token, access.form.oauth_token_secret, access.form.oauth_session_handle);
  const refreshed = await client.send('POST', '/oauth/refresh_access_token', { oauth_session_handle: access.form.oauth_session_handle }, tokenOf(access.form), { version });
  expect(refreshed.status).toBe(200);
  gw.remember(refreshed.form.oauth_token, refreshed.form.oauth_token_secret);
});

test.each(['1.1', '2.0', '1.0b', '1'])('a correctly signed oauth_version=%s is refused with version_rejected', async (version) => {
  const result = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').send('POST', '/oauth/request_token', { oauth_callback: 'oob' }, undefined, { version });
  expect([result.status, result.form.oauth_problem, result.form.oauth_acceptable_versions]).toEqual([400, 'version_rejected', '1.0-1.0']);
});
