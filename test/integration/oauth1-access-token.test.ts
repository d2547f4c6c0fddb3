import {
  Browser,
  OAuth1Client,
  authorizeInBrowser,
  callbackParameters,
  startOAuth1Gateway,
  type ConsumerCredentials,
  type OAuth1Gateway,
  type Token,
} from '../helpers/oauth1';
import { logWindow } from '../helpers/log-window';
import { counterValue } from '../helpers/metrics';

// The exchange of an authorized request token: verifier, single use, and the token's state.

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let consumer: ConsumerCredentials;
let browser: Browser;

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  await gw.fixtures.user(alice.username, alice.password);
  consumer = await gw.consumer({ name: 'Exchanger' });
  browser = new Browser(gw.url);
});
afterAll(() => gw.close());

/** A request token the user has approved, and its verifier. */
async function approved(client: OAuth1Client): Promise<{ token: Token; verifier: string }> {
  const { token, authUrl } = await client.requestToken('https://consumer.example/cb');
  const { answer } = await authorizeInBrowser(browser, authUrl, alice);
  const verifier = callbackParameters(answer.location as string).get('oauth_verifier') as string;
  gw.remember(verifier);
  return { token, verifier };
}

test('a request token is exchanged once: the second exchange gets token_used', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  expect((await client.accessToken(token, verifier)).status).toBe(200);
  const again = await client.accessToken(token, verifier);
  expect([again.status, again.form.oauth_problem]).toEqual([401, 'token_used']);
});

test('parallel exchanges of one request token issue exactly one access token', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  const results = await Promise.all(Array.from({ length: 5 }, () => client.accessToken(token, verifier)));
  expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  expect(new Set(results.filter((r) => r.status !== 200).map((r) => r.form.oauth_problem))).toEqual(new Set(['token_used']));
});

test('a wrong verifier is refused with verifier_invalid and the token stays usable', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  const wrong = await client.accessToken(token, 'not-the-verifier');
  expect([wrong.status, wrong.form.oauth_problem]).toEqual([401, 'verifier_invalid']);
  expect((await client.accessToken(token, verifier)).status).toBe(200);
});

test('a missing verifier is reported as parameter_absent', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token } = await client.requestToken('oob');
  const result = await client.send('POST', '/oauth/access_token', {}, token);
  expect([result.status, result.form.oauth_problem, result.form.oauth_parameters_absent]).toEqual([400, 'parameter_absent', 'oauth_verifier']);
});

test('a request token the user has not decided on yet gets permission_unknown', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token } = await client.requestToken('oob');
  const result = await client.accessToken(token, 'guess');
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'permission_unknown']);
});

test('an expired request token gets token_expired', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  const ttl = gw.deps.config.lifetimes.oauth1RequestToken * 1000;
  gw.clock.advance(ttl + 1000);
  try {
    const result = await client.accessToken(token, verifier);
    expect([result.status, result.form.oauth_problem]).toEqual([401, 'token_expired']);
  } finally {
    gw.clock.advance(-(ttl + 1000));
  }
});

test("another consumer cannot exchange this consumer's request token", async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  const other = new OAuth1Client(gw, await gw.consumer({ name: 'Thief' }));
  const result = await other.accessToken(token, verifier);
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'token_rejected']);
});

test('the exchange must be signed with the request token secret', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  const result = await client.accessToken({ key: token.key, secret: 'wrong' }, verifier);
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'signature_invalid']);
});

test('the store keeps only digests of tokens and verifiers, and secrets sealed', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  const access = await client.accessToken(token, verifier);
  const { tokenDigest } = await import('../../src/crypto');
  const requestRow = await gw.deps.store.requestTokens.find(tokenDigest(token.key));
  const accessRow = await gw.deps.store.oauth1AccessTokens.find(tokenDigest(access.form.oauth_token));
  const sessionRow = await gw.deps.store.oauth1Sessions.find(tokenDigest(access.form.oauth_session_handle));
  expect(requestRow?.verifierDigest).toBe(tokenDigest(verifier));
  expect(JSON.stringify([requestRow, accessRow, sessionRow])).not.toContain(token.secret);
  expect(JSON.stringify([requestRow, accessRow, sessionRow])).not.toContain(access.form.oauth_token_secret);
  expect(gw.deps.secrets.open(accessRow?.secretEnc as string)).toBe(access.form.oauth_token_secret);
  expect(sessionRow?.consumerKey).toBe(consumer.key);
});

test('issued tokens are counted in the metrics', async () => {
  const issued = (grant: string) => counterValue(gw, 'gateway_tokens_issued_total', { protocol: 'oauth1', grant });
  const before = { requestToken: await issued('request_token'), accessToken: await issued('access_token') };
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  expect((await client.accessToken(token, verifier)).status).toBe(200);
  expect(await issued('request_token')).toBe(before.requestToken + 1);
  expect(await issued('access_token')).toBe(before.accessToken + 1);
  const text = await gw.deps.metrics.registry.metrics();
  expect(text).toMatch(/gateway_tokens_issued_total\{protocol="oauth1",grant="access_token"\} [1-9]/);
  expect(text).toMatch(/gateway_tokens_issued_total\{protocol="oauth1",grant="request_token"\} [1-9]/);
});

test('no secret, token, verifier or password reaches the logs', async () => {
  const logs = logWindow(gw);
  const client = new OAuth1Client(gw, consumer);
  const { token, verifier } = await approved(client);
  expect((await client.accessToken(token, 'not-the-verifier')).status).toBe(401);
  const access = await client.accessToken(token, verifier);
  expect(access.status).toBe(200);
  expect((await client.accessToken(token, verifier)).status).toBe(401);
  expect(logs.text()).toContain('/oauth/access_token');
  expect(logs.leakedSecrets()).toEqual([]);
});
