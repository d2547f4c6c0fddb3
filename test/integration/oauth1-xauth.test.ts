import { OAuth1Client, sendPrepared, startOAuth1Gateway, tokenOf, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { logWindow } from '../helpers/log-window';
import { counterValue } from '../helpers/metrics';

// xAuth (WebEx "Get xAuth Access Token"): a trusted consumer trades a user's password for a
// session and access token, signed with the consumer secret alone.

const alice = { username: 'alice', password: 'alice-password-1' };
const MAX_FAILURES = 3;
const MAX_FAILURES_PER_ADDRESS = 5;
let gw: OAuth1Gateway;
let trusted: ConsumerCredentials;

const credentials = (username: string, password: string) => ({ x_auth_username: username, x_auth_password: password, x_auth_mode: 'client_auth' });
const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

beforeAll(async () => {
  // Loopback is a trusted proxy here, so each test speaks from its own X-Forwarded-For address and
  // the per-address lockout of one test does not spill into the next.
  gw = await startOAuth1Gateway({ config: { login: { maxFailures: MAX_FAILURES, maxFailuresPerAddress: MAX_FAILURES_PER_ADDRESS, lockSeconds: 300 }, server: { trustedProxies: ['127.0.0.1'] } } });
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.user('dave', 'dave-password-1', { enabled: false });
  trusted = await gw.consumer({ name: 'Mobile App', xauth: true });
});
afterAll(() => gw.close());

describe.each(['body', 'query'] as const)('credentials in the %s', (placement) => {
  test('answer like access_token, and the token signs resource requests', async () => {
    const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', placement);
    const result = await client.send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password));
    gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
    expect(result.status).toBe(200);
    expect(Object.keys(result.form).sort()).toEqual(
      ['oauth_authorization_expires_in', 'oauth_expires_in', 'oauth_session_handle', 'oauth_token', 'oauth_token_secret', 'quad_openapi_baseurl', 'xoauth_user_id'].sort(),
    );
    const me = await client.whoami(tokenOf(result.form));
    expect([me.status, me.json?.username]).toEqual([200, 'alice']);
  });
});

test('PLAINTEXT works too, over TLS (the trusted proxy in front says https)', async () => {
  const client = new OAuth1Client(gw, trusted, 'PLAINTEXT', 'body');
  const result = await client.send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password), undefined, { headers: { 'x-forwarded-proto': 'https' } });
  gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
  expect(result.status).toBe(200);
});

test('credentials in the Authorization header are refused', async () => {
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'header');
  // oauth-1.0a only puts oauth_* into the header; add the x_auth_* ones by hand, signed the same way.
  const prepared = client.prepare('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password));
  const headerParams = Object.entries(credentials(alice.username, alice.password)).map(([k, v]) => `${k}="${encodeURIComponent(v)}"`);
  prepared.init.headers.authorization += ', ' + headerParams.join(', ');
  delete prepared.init.body;
  delete prepared.init.headers['content-type'];
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem]).toEqual([400, 'parameter_rejected']);
  expect(result.form.oauth_parameters_rejected).toBe('x_auth_username&x_auth_password&x_auth_mode');
});

test('the credentials are part of the signature: changing the username after signing fails', async () => {
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'body');
  const prepared = client.prepare('POST', '/oauth/xauth_access_token', credentials('someone', alice.password));
  prepared.init.body = String(prepared.init.body).replace('x_auth_username=someone', 'x_auth_username=alice');
  const result = await sendPrepared(prepared);
  expect([result.status, result.form.oauth_problem]).toEqual([401, 'signature_invalid']);
});

test('GET is refused with 405 and Allow: POST', async () => {
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'query');
  const result = await client.send('GET', '/oauth/xauth_access_token', credentials(alice.username, alice.password));
  expect([result.status, result.headers.get('allow'), result.form.oauth_problem]).toEqual([405, 'POST', 'parameter_rejected']);
});

test('x_auth_mode other than client_auth is refused', async () => {
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'body');
  const result = await client.send('POST', '/oauth/xauth_access_token', { ...credentials(alice.username, alice.password), x_auth_mode: 'reverse_auth' });
  expect([result.status, result.form.oauth_problem, result.form.oauth_parameters_rejected]).toEqual([400, 'parameter_rejected', 'x_auth_mode']);
});

test('a consumer not marked for xAuth gets permission_denied', async () => {
  const untrusted = await gw.consumer({ name: 'Web App' });
  const client = new OAuth1Client(gw, untrusted, 'HMAC-SHA1', 'body');
  const result = await client.send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password));
  expect([result.status, result.form.oauth_problem]).toEqual([403, 'permission_denied']);
});

test('a wrong password, an unknown user and a disabled user get the same answer', async () => {
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'body');
  gw.remember('wrong-password-1', 'dave-password-1');
  const answers = [];
  for (const [username, password] of [
    ['alice', 'wrong-password-1'],
    ['nobody-here', 'wrong-password-1'],
    ['dave', 'dave-password-1'],
  ]) {
    const result = await client.send('POST', '/oauth/xauth_access_token', credentials(username, password), undefined, from('192.0.2.10'));
    answers.push([result.status, result.headers.get('www-authenticate'), result.text]);
  }
  expect(answers[0]).toEqual([401, 'OAuth realm="oauth-gateway"', expect.stringMatching(/^oauth_problem=permission_denied&/)]);
  expect(answers[1]).toEqual(answers[0]);
  expect(answers[2]).toEqual(answers[0]);
});

test('repeated failures for one username are locked out with 429 and Retry-After', async () => {
  const erin = { username: 'erin', password: 'erin-password-1' };
  await gw.fixtures.user(erin.username, erin.password);
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'body');
  for (let i = 0; i < MAX_FAILURES; i++) {
    // Each attempt from another address: only the username's counter adds up.
    const failed = await client.send('POST', '/oauth/xauth_access_token', credentials('erin', 'wrong-password-1'), undefined, from(`192.0.2.2${i}`));
    expect(failed.status).toBe(401);
  }
  const locked = await client.send('POST', '/oauth/xauth_access_token', credentials(erin.username, erin.password), undefined, from('192.0.2.30'));
  expect(locked.status).toBe(429);
  expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(locked.form.oauth_problem).toBe('permission_denied');
});

test('failures below the address limit leave other usernames from that address alone', async () => {
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'body');
  for (let i = 0; i < MAX_FAILURES; i++) {
    await client.send('POST', '/oauth/xauth_access_token', credentials('nat-neighbour', 'wrong-password-1'), undefined, from('192.0.2.50'));
  }
  const colleague = await client.send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password), undefined, from('192.0.2.50'));
  gw.remember(colleague.form.oauth_token, colleague.form.oauth_token_secret, colleague.form.oauth_session_handle);
  expect(colleague.status).toBe(200);
});

test('repeated failures from one address are locked out whatever the username', async () => {
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'body');
  for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
    const failed = await client.send('POST', '/oauth/xauth_access_token', credentials(`sprayed-${i}`, 'wrong-password-1'), undefined, from('192.0.2.40'));
    expect(failed.status).toBe(401);
  }
  const locked = await client.send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password), undefined, from('192.0.2.40'));
  expect([locked.status, locked.form.oauth_problem]).toEqual([429, 'permission_denied']);
  const elsewhere = await client.send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password), undefined, from('192.0.2.41'));
  gw.remember(elsewhere.form.oauth_token, elsewhere.form.oauth_token_secret, elsewhere.form.oauth_session_handle);
  expect(elsewhere.status).toBe(200);
});

test('an xAuth request naming an oauth_token is refused', async () => {
  const client = new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'body');
  const result = await client.send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password), { key: 'some-token', secret: '' });
  expect([result.status, result.form.oauth_problem, result.form.oauth_parameters_rejected]).toEqual([400, 'parameter_rejected', 'oauth_token']);
});

test('xAuth issues are counted in the metrics', async () => {
  const issued = () => counterValue(gw, 'gateway_tokens_issued_total', { protocol: 'oauth1', grant: 'xauth' });
  const before = await issued();
  const result = await new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'body').send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password));
  gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
  expect(result.status).toBe(200);
  expect(await issued()).toBe(before + 1);
  expect(await gw.deps.metrics.registry.metrics()).toMatch(/gateway_tokens_issued_total\{protocol="oauth1",grant="xauth"\} [1-9]/);
});

test('no secret, token or password reaches the logs', async () => {
  const logs = logWindow(gw);
  for (const placement of ['body', 'query'] as const) {
    const client = new OAuth1Client(gw, trusted, 'PLAINTEXT', placement);
    const https = { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.60' } };
    const result = await client.send('POST', '/oauth/xauth_access_token', credentials(alice.username, alice.password), undefined, https);
    gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
    expect(result.status).toBe(200);
    expect((await client.whoami(tokenOf(result.form), https)).status).toBe(200);
  }
  gw.remember('not-her-password-1');
  const failed = await new OAuth1Client(gw, trusted, 'HMAC-SHA1', 'query').send('POST', '/oauth/xauth_access_token', credentials('nobody-at-all', 'not-her-password-1'), undefined, from('192.0.2.61'));
  expect(failed.status).toBe(401);
  expect(logs.text()).toContain('/oauth/xauth_access_token');
  expect(logs.leakedSecrets()).toEqual([]);
});
