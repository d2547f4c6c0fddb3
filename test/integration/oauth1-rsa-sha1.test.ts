import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OAuth as NodeOAuth } from 'oauth';
import { InvalidInputError } from '../../src/accounts/validation';
import {
  Browser,
  OAuth1Client,
  authorizeInBrowser,
  callbackParameters,
  readVerifier,
  startOAuth1Gateway,
  tokenOf,
  xauthAccess,
  type ConsumerCredentials,
  type OAuth1Gateway,
  type Token,
} from '../helpers/oauth1';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// RSA-SHA1 (RFC 5849 section 3.4.3), as Jira application links sign: the consumer registers its
// public key, signs with its private key, and the gateway verifies every endpoint and a proxied
// route with the public key. Two independent signers: the oauth-1.0a library (its hash_function
// hook) and node-oauth (the `oauth` package, which signs RSA-SHA1 itself).

const keys = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/oauth1-rsa-sha2-signatures.json'), 'utf8')).keys as Record<
  string,
  { private_key_pem: string; public_key_pem: string }
>;
const jira = keys['jira-2048'];
const legacy = keys['jira-1024'];

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let upstream: TestUpstream;
let consumer: ConsumerCredentials;

beforeAll(async () => {
  upstream = await startUpstream('jira');
  gw = await startOAuth1Gateway({ config: { routes: [{ prefix: '/rest', upstream: upstream.url, accept: ['oauth1'] }] } });
  const profile = await gw.fixtures.profile('jira-users', ['browse']);
  await gw.fixtures.user(alice.username, alice.password, { profile });
  consumer = { ...(await gw.consumer({ name: 'Jira link', rsaPublicKey: jira.public_key_pem, signatureMethods: 'RSA-SHA1', xauth: true })), privateKey: jira.private_key_pem };
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

/** request token, consent in the browser (oob), access token: with the given client. */
async function threeLegged(client: OAuth1Client): Promise<{ access: Token; sessionHandle: string }> {
  const { token, authUrl, result } = await client.requestToken('oob');
  expect(result.status).toBe(200);
  const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice);
  const verifier = readVerifier(answer.text);
  gw.remember(verifier);
  const access = await client.accessToken(token, verifier);
  expect(access.status).toBe(200);
  return { access: tokenOf(access.form), sessionHandle: access.form.oauth_session_handle };
}

describe.each(['header', 'body', 'query'] as const)('oauth-1.0a library, RSA-SHA1 with parameters in the %s', (placement) => {
  test('every endpoint and a proxied route verify the signature with the registered public key', async () => {
    const client = new OAuth1Client(gw, consumer, 'RSA-SHA1', placement);
    const { access, sessionHandle } = await threeLegged(client);

    const me = await client.whoami(access);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ protocol: 'oauth1', username: 'alice', clientId: consumer.key, privileges: ['browse'] });

    const proxied = await client.send('GET', '/rest/api/2/myself', { expand: 'groups' }, access);
    expect(proxied.status).toBe(200);
    const seen = JSON.parse(proxied.text);
    expect(seen.headers['x-authenticated-user']).toBe('alice');
    expect(seen.headers['x-authenticated-client']).toBe(consumer.key);

    const refreshed = await client.refresh(access, sessionHandle);
    expect(refreshed.status).toBe(200);
    expect((await client.whoami(tokenOf(refreshed.form))).status).toBe(200);
  });
});

test('node-oauth signs RSA-SHA1 with the private key: request token, access token and a proxied GET', async () => {
  const oa = new NodeOAuth(`${gw.url}/oauth/request_token`, `${gw.url}/oauth/access_token`, consumer.key, jira.private_key_pem, '1.0', 'oob', 'RSA-SHA1');
  // The gateway runs on a manual clock; node-oauth would read the real one.
  (oa as unknown as { _getTimestamp: () => number })._getTimestamp = () => Math.floor(gw.clock() / 1000);

  const requested = await new Promise<{ token: string; secret: string; results: Record<string, string> }>((resolve, reject) =>
    oa.getOAuthRequestToken((err, token, secret, results) => (err ? reject(new Error(JSON.stringify(err))) : resolve({ token, secret, results }))),
  );
  gw.remember(requested.token, requested.secret);
  const { answer } = await authorizeInBrowser(new Browser(gw.url), requested.results.xoauth_user_auth_url, alice);
  const verifier = readVerifier(answer.text);
  gw.remember(verifier);

  const access = await new Promise<{ token: string; secret: string }>((resolve, reject) =>
    oa.getOAuthAccessToken(requested.token, requested.secret, verifier, (err, token, secret) => (err ? reject(new Error(JSON.stringify(err))) : resolve({ token, secret }))),
  );
  gw.remember(access.token, access.secret);

  const body = await new Promise<string>((resolve, reject) =>
    oa.get(`${gw.url}/rest/api/2/issue/ABC-1?fields=summary`, access.token, access.secret, (err, data) => (err ? reject(new Error(JSON.stringify(err))) : resolve(String(data)))),
  );
  const seen = JSON.parse(body);
  expect(seen.url).toBe('/rest/api/2/issue/ABC-1?fields=summary');
  expect(seen.headers['x-authenticated-user']).toBe('alice');
  expect(seen.headers['x-auth-protocol']).toBe('oauth1');
});

test('xAuth signed with RSA-SHA1 gives a working access token', async () => {
  const client = new OAuth1Client(gw, consumer, 'RSA-SHA1', 'body');
  const { token } = await xauthAccess(client, alice);
  expect((await client.whoami(token)).json).toMatchObject({ username: 'alice' });
});

test('a signature made with another private key is signature_invalid (401)', async () => {
  const good = new OAuth1Client(gw, consumer, 'RSA-SHA1');
  const { access } = await threeLegged(good);
  const impostor = new OAuth1Client(gw, { ...consumer, privateKey: legacy.private_key_pem }, 'RSA-SHA1');
  for (const result of [await impostor.send('POST', '/oauth/request_token', { oauth_callback: 'oob' }), await impostor.whoami(access)]) {
    expect(result.status).toBe(401);
    expect(result.form.oauth_problem).toBe('signature_invalid');
  }
});

test('the token secret plays no part in an RSA-SHA1 signature', async () => {
  const client = new OAuth1Client(gw, consumer, 'RSA-SHA1');
  const { access } = await threeLegged(client);
  const me = await client.whoami({ key: access.key, secret: 'not-the-token-secret' });
  expect(me.status).toBe(200);
  expect(me.json).toMatchObject({ username: 'alice' });
});

test('a reused nonce is refused under RSA-SHA1 as under HMAC', async () => {
  const client = new OAuth1Client(gw, consumer, 'RSA-SHA1');
  expect((await client.send('POST', '/oauth/request_token', { oauth_callback: 'oob' }, undefined, { nonce: 'rsa-once' })).status).toBe(200);
  const again = await client.send('POST', '/oauth/request_token', { oauth_callback: 'oob' }, undefined, { nonce: 'rsa-once' });
  expect([again.status, again.form.oauth_problem]).toEqual([401, 'nonce_used']);
});

test('a consumer limited to RSA-SHA1 signing with its secret is signature_method_rejected (400)', async () => {
  const hmac = await new OAuth1Client(gw, consumer, 'HMAC-SHA1').send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
  expect([hmac.status, hmac.form.oauth_problem, hmac.form.oauth_acceptable_signature_methods]).toEqual([400, 'signature_method_rejected', 'RSA-SHA1']);
});

test('a consumer without a registered key cannot sign RSA-SHA1', async () => {
  const plain = { ...(await gw.consumer({ name: 'No key' })), privateKey: jira.private_key_pem };
  const result = await new OAuth1Client(gw, plain, 'RSA-SHA1').send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
  expect([result.status, result.form.oauth_problem]).toEqual([400, 'signature_method_rejected']);
  expect(result.form.oauth_acceptable_signature_methods.split('&')).not.toContain('RSA-SHA1');
});

test('a 1024-bit key is refused unless explicitly allowed; allowed, it verifies', async () => {
  await expect(gw.consumer({ name: 'Old Jira', rsaPublicKey: legacy.public_key_pem })).rejects.toThrow(InvalidInputError);
  await expect(gw.consumer({ name: 'Old Jira', rsaPublicKey: legacy.public_key_pem })).rejects.toThrow(/1024 bits; at least 2048/);
  const old = { ...(await gw.consumer({ name: 'Old Jira', rsaPublicKey: legacy.public_key_pem, allowLegacyRsaKey: true })), privateKey: legacy.private_key_pem };
  const { result } = await new OAuth1Client(gw, old, 'RSA-SHA1').requestToken('oob');
  expect(result.status).toBe(200);
});

test('no private key, token or signature reaches the logs', () => {
  expect(gw.leakedSecrets([jira.private_key_pem.split('\n')[1], legacy.private_key_pem.split('\n')[1]])).toEqual([]);
});

test('the callback page of a browser consent keeps working for an RSA consumer with a callback', async () => {
  const withCallback = { ...(await gw.consumer({ name: 'Jira cb', rsaPublicKey: jira.public_key_pem, callback: 'https://jira.example.com/cb' })), privateKey: jira.private_key_pem };
  const client = new OAuth1Client(gw, withCallback, 'RSA-SHA1');
  const { token, authUrl } = await client.requestToken('https://jira.example.com/cb/done');
  const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice);
  expect(answer.status).toBe(303);
  expect(callbackParameters(answer.location as string).get('oauth_token')).toBe(token.key);
});
