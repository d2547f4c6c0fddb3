import {
  OAuth1Client,
  encode,
  sendPrepared,
  startOAuth1Gateway,
  type ConsumerCredentials,
  type OAuth1Gateway,
  type Token,
} from '../helpers/oauth1';
import { logWindow } from '../helpers/log-window';
import { counterValue } from '../helpers/metrics';

// Every check of a signed request failing the way OAuth Problem Reporting says, on a real gateway.
// The signed resource request (GET /oauth/whoami with an access token) and request_token are the
// probes; each test breaks exactly one thing in an otherwise good request.

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let consumer: ConsumerCredentials;
let access: Token;

async function xauthToken(client: OAuth1Client): Promise<Token> {
  const result = await client.send('POST', '/oauth/xauth_access_token', {
    x_auth_username: alice.username,
    x_auth_password: alice.password,
    x_auth_mode: 'client_auth',
  });
  if (result.status !== 200) throw new Error(`xauth answered ${result.status}: ${result.text}`);
  gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
  return { key: result.form.oauth_token, secret: result.form.oauth_token_secret };
}

beforeAll(async () => {
  // One probe below signs PLAINTEXT over plain http to loopback: the development setting lets it.
  gw = await startOAuth1Gateway({ config: { oauth1: { plaintextOverHttp: true } } });
  await gw.fixtures.user(alice.username, alice.password);
  consumer = await gw.consumer({ name: 'Checked', xauth: true });
  access = await xauthToken(new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body'));
});
afterAll(() => gw.close());

const nowSeconds = () => Math.floor(gw.clock() / 1000);

test('a good signed request passes (the baseline every other test breaks)', async () => {
  const me = await new OAuth1Client(gw, consumer).whoami(access);
  expect(me.status).toBe(200);
});

test('a replayed nonce is refused with nonce_used', async () => {
  const client = new OAuth1Client(gw, consumer);
  const prepared = client.prepare('GET', '/oauth/whoami', {}, access);
  expect((await sendPrepared(prepared)).status).toBe(200);
  const replay = await sendPrepared(prepared);
  expect([replay.status, replay.form.oauth_problem]).toEqual([401, 'nonce_used']);
});

test('a failed request does not spend its nonce: the same nonce with a good signature still passes', async () => {
  const client = new OAuth1Client(gw, consumer);
  const options = { nonce: 'spend-me-once', timestamp: nowSeconds() };
  const forged = new OAuth1Client(gw, { key: consumer.key, secret: 'wrong' });
  expect((await forged.whoami(access, options)).form.oauth_problem).toBe('signature_invalid');
  expect((await client.whoami(access, options)).status).toBe(200);
});

test('a stale timestamp is refused with timestamp_refused and the acceptable range', async () => {
  const now = nowSeconds();
  const result = await new OAuth1Client(gw, consumer).whoami(access, { timestamp: now - 301 });
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'timestamp_refused']);
  expect(result.form.oauth_acceptable_timestamps).toBe(`${now - 300}-${now + 300}`);
});

test('a timestamp from the future is refused with timestamp_refused', async () => {
  const result = await new OAuth1Client(gw, consumer).whoami(access, { timestamp: nowSeconds() + 301 });
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'timestamp_refused']);
});

test('a timestamp at the edge of the window is accepted', async () => {
  const result = await new OAuth1Client(gw, consumer).whoami(access, { timestamp: nowSeconds() - 300 });
  expect(result.status).toBe(200);
});

test('a parameter changed after signing is refused with signature_invalid', async () => {
  const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query');
  const prepared = client.prepare('GET', '/oauth/whoami', { photo: 'cat' }, access);
  prepared.url = prepared.url.replace('photo=cat', 'photo=dog');
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'signature_invalid']);
});

test('a request signed with the wrong consumer secret is refused with signature_invalid', async () => {
  const result = await new OAuth1Client(gw, { key: consumer.key, secret: 'not-the-secret' }).whoami(access);
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'signature_invalid']);
});

test('a request signed with the wrong token secret is refused with signature_invalid', async () => {
  const result = await new OAuth1Client(gw, consumer, 'PLAINTEXT').whoami({ key: access.key, secret: 'not-the-secret' });
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'signature_invalid']);
});

test('a 401 carries WWW-Authenticate: OAuth with the realm and a form-encoded, uncached body', async () => {
  const result = await new OAuth1Client(gw, { key: consumer.key, secret: 'not-the-secret' }).whoami(access);
  expect(result.headers.get('www-authenticate')).toBe('OAuth realm="oauth-gateway"');
  expect(result.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
  expect(result.headers.get('cache-control')).toBe('no-store');
  expect(result.form.oauth_problem_advice).toEqual(expect.any(String));
});

test('an unknown consumer key is refused with consumer_key_unknown', async () => {
  const result = await new OAuth1Client(gw, { key: 'nobody', secret: 'x' }).send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'consumer_key_unknown']);
});

test('a disabled consumer is refused with consumer_key_rejected', async () => {
  const disabled = await gw.consumer({ name: 'Disabled' });
  await gw.deps.store.consumers.setEnabled(disabled.key, false);
  const result = await new OAuth1Client(gw, disabled).send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'consumer_key_rejected']);
});

test('an unknown access token is refused with token_rejected', async () => {
  const result = await new OAuth1Client(gw, consumer).whoami({ key: 'no-such-token', secret: 'x' });
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'token_rejected']);
});

test("another consumer's access token is refused with token_rejected", async () => {
  const other = await gw.consumer({ name: 'Other' });
  const result = await new OAuth1Client(gw, other).whoami(access);
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'token_rejected']);
});

test('a protocol parameter in the header and in the query is refused as duplicated', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').prepare('GET', '/oauth/whoami', {}, access);
  prepared.url += `?oauth_nonce=${encode('another')}`;
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem, result.form.oauth_parameters_rejected]).toEqual([400, 'parameter_rejected', 'oauth_nonce']);
});

test('a protocol parameter given twice in the query is refused as duplicated', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query').prepare('GET', '/oauth/whoami', {}, access);
  prepared.url += `&oauth_token=${encode(access.key)}`;
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem]).toEqual([400, 'parameter_rejected']);
});

test('a malformed Authorization header is refused with parameter_rejected', async () => {
  const res = await fetch(`${gw.url}/oauth/whoami`, { headers: { authorization: 'OAuth oauth_consumer_key="abc", oauth_token=unquoted' } });
  const text = await res.text();
  expect(res.status).toBe(400);
  expect(text).toMatch(/^oauth_problem=parameter_rejected&/);
});

test('a missing oauth_signature is reported as parameter_absent with the names', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query').prepare('GET', '/oauth/whoami', {}, access);
  prepared.url = prepared.url.replace(/&?oauth_signature=[^&]*/, '');
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem, result.form.oauth_parameters_absent]).toEqual([400, 'parameter_absent', 'oauth_signature']);
});

test('an unsupported oauth_version is refused with version_rejected', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query').prepare('GET', '/oauth/whoami', {}, access);
  prepared.url = prepared.url.replace('oauth_version=1.0', 'oauth_version=2.0');
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem]).toEqual([400, 'version_rejected']);
});

test('an unsupported signature method is refused with signature_method_rejected', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query').prepare('GET', '/oauth/whoami', {}, access);
  prepared.url = prepared.url.replace('oauth_signature_method=HMAC-SHA1', 'oauth_signature_method=RSA-SHA1');
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem]).toEqual([400, 'signature_method_rejected']);
});

describe('a JSON body', () => {
  test('is not part of the signature: a request signed without its fields verifies', async () => {
    const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header');
    const prepared = client.prepare('POST', '/oauth/whoami', {}, access, {
      headers: { 'content-type': 'application/json' },
      rawBody: JSON.stringify({ photo: 'cat', size: 'large' }),
    });
    const result = await sendPrepared(prepared);
    expect(result.status).toBe(200);
  });

  test('cannot smuggle oauth_ parameters: a consumer key only in JSON is no OAuth credential', async () => {
    const res = await fetch(`${gw.url}/oauth/whoami`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ oauth_consumer_key: consumer.key, oauth_token: access.key, oauth_signature_method: 'PLAINTEXT', oauth_signature: `${consumer.secret}&${access.secret}` }),
    });
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(text).toMatch(/^oauth_problem=parameter_absent&/);
  });

  test('cannot override a signed parameter: JSON oauth_token next to a header is ignored', async () => {
    const other = await xauthToken(new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body'));
    const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').prepare('POST', '/oauth/whoami', {}, access, {
      headers: { 'content-type': 'application/json' },
      rawBody: JSON.stringify({ oauth_token: other.key }),
    });
    const result = await sendPrepared(prepared);
    expect(result.status).toBe(200);
  });
});

test('a form body field is part of the signature: changing it after signing fails', async () => {
  const prepared = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').prepare('POST', '/oauth/whoami', { photo: 'cat' }, access);
  prepared.init.body = 'photo=dog';
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'signature_invalid']);
});

test('failures are counted by reason in the metrics', async () => {
  const failures = (reason: string) => counterValue(gw, 'gateway_verification_failures_total', { protocol: 'oauth1', reason });
  const before = { signatureInvalid: await failures('signature_invalid'), nonceUsed: await failures('nonce_used') };
  expect((await new OAuth1Client(gw, { key: consumer.key, secret: 'not-the-secret' }).whoami(access)).status).toBe(401);
  const prepared = new OAuth1Client(gw, consumer).prepare('GET', '/oauth/whoami', {}, access);
  expect((await sendPrepared(prepared)).status).toBe(200);
  expect((await sendPrepared(prepared)).status).toBe(401);
  expect(await failures('signature_invalid')).toBe(before.signatureInvalid + 1);
  expect(await failures('nonce_used')).toBe(before.nonceUsed + 1);
  const text = await gw.deps.metrics.registry.metrics();
  expect(text).toMatch(/gateway_verification_failures_total\{protocol="oauth1",reason="signature_invalid"\} [1-9]/);
  expect(text).toMatch(/gateway_verification_failures_total\{protocol="oauth1",reason="nonce_used"\} [1-9]/);
});

test('no secret, token or password reaches the logs', async () => {
  const logs = logWindow(gw);
  const token = await xauthToken(new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body'));
  expect((await new OAuth1Client(gw, consumer, 'PLAINTEXT', 'query').whoami(token)).status).toBe(200);
  expect((await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query').whoami({ key: token.key, secret: 'not-the-secret' })).status).toBe(401);
  expect((await new OAuth1Client(gw, { key: consumer.key, secret: 'not-the-secret' }).whoami(token)).status).toBe(401);
  gw.remember('not-the-secret');
  expect(logs.text().length).toBeGreaterThan(0);
  expect(logs.leakedSecrets()).toEqual([]);
});
