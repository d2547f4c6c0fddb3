import {
  Browser,
  OAuth1Client,
  authorizeInBrowser,
  callbackParameters,
  readVerifier,
  startOAuth1Gateway,
  tokenOf,
  type ConsumerCredentials,
  type Method,
  type OAuth1Gateway,
  type Placement,
} from '../helpers/oauth1';
import { logWindow } from '../helpers/log-window';

// The whole three-legged flow of the WebEx Social chapter over real HTTP: request token, the
// user's sign-in and consent in HTML forms, the exchange, and a signed resource request.

const alice = { username: 'alice', password: 'alice-password-1' };
const callback = 'https://consumer.example/cb?keep=1';
let gw: OAuth1Gateway;
let consumer: ConsumerCredentials;

beforeAll(async () => {
  // The PLAINTEXT runs below speak plain http to loopback: the development setting lets them
  // (oauth1-plaintext-tls.test.ts covers the refusal without it).
  gw = await startOAuth1Gateway({ config: { oauth1: { plaintextOverHttp: true } } });
  const profile = await gw.fixtures.profile('readers', ['read']);
  await gw.fixtures.user(alice.username, alice.password, { profile });
  consumer = await gw.consumer({ name: 'Photo Printer' });
});
afterAll(() => gw.close());

const combinations: Array<[Method, Placement]> = [
  ['HMAC-SHA1', 'header'],
  ['HMAC-SHA1', 'body'],
  ['HMAC-SHA1', 'query'],
  ['PLAINTEXT', 'header'],
  ['PLAINTEXT', 'body'],
  ['PLAINTEXT', 'query'],
];

describe.each(combinations)('%s with parameters in the %s', (method, placement) => {
  test('request token, sign-in and consent forms, access token and a signed resource request', async () => {
    const client = new OAuth1Client(gw, consumer, method, placement);
    const { token: requestToken, authUrl, result } = await client.requestToken(callback);
    expect(result.status).toBe(200);
    expect(result.form.oauth_callback_confirmed).toBe('true');
    expect(authUrl).toBe(`${gw.url}/oauth/user_auth?oauth_token=${requestToken.key}`);

    const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice);
    expect(answer.status).toBe(303);
    const back = callbackParameters(answer.location as string);
    expect(back.get('keep')).toBe('1');
    expect(back.get('oauth_token')).toBe(requestToken.key);
    const verifier = back.get('oauth_verifier') as string;
    gw.remember(verifier);

    const access = await client.accessToken(requestToken, verifier);
    expect(access.status).toBe(200);
    const me = await client.whoami(tokenOf(access.form));
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ protocol: 'oauth1', username: 'alice', clientId: consumer.key, privileges: ['read'] });
  });
});

test('the access token answer carries the session extension and WebEx fields', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, authUrl } = await client.requestToken(callback);
  const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice);
  const verifier = callbackParameters(answer.location as string).get('oauth_verifier') as string;
  gw.remember(verifier);
  const access = await client.accessToken(token, verifier);
  const user = await gw.deps.store.users.findByUsername('alice');
  expect(access.headers.get('cache-control')).toBe('no-store');
  expect(access.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
  expect(access.form).toEqual({
    oauth_token: expect.any(String),
    oauth_token_secret: expect.any(String),
    oauth_session_handle: expect.any(String),
    oauth_expires_in: '3600',
    oauth_authorization_expires_in: String(gw.deps.config.lifetimes.oauth1Session),
    xoauth_user_id: user?.id,
    quad_openapi_baseurl: `${gw.url}/api`,
  });
});

test('an oob callback shows the verifier on a page, which the consumer exchanges', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, authUrl } = await client.requestToken('oob');
  const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
  const verifier = readVerifier(answer.text);
  gw.remember(verifier);
  const access = await client.accessToken(token, verifier);
  expect(access.status).toBe(200);
  expect(access.form.oauth_token).toBeTruthy();
});

test('the consent page names the consumer and carries the frame and cache headers', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { authUrl } = await client.requestToken(callback);
  const browser = new Browser(gw.url);
  const { consent } = await authorizeInBrowser(browser, authUrl, alice, 'deny');
  expect(consent.text).toContain('Photo Printer');
  expect(consent.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(consent.headers.get('x-frame-options')).toBe('DENY');
  expect(consent.headers.get('cache-control')).toBe('no-store');
});

test('deny sends the user back with oauth_problem=permission_denied and the exchange is refused', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, authUrl } = await client.requestToken(callback);
  const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice, 'deny');
  expect(answer.status).toBe(303);
  const back = callbackParameters(answer.location as string);
  expect([back.get('oauth_problem'), back.get('oauth_token'), back.get('oauth_verifier')]).toEqual(['permission_denied', token.key, null]);
  const exchange = await client.accessToken(token, 'anything');
  expect([exchange.status, exchange.form.oauth_problem]).toEqual([403, 'permission_denied']);
});

test('deny with an oob callback shows an access denied page', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { authUrl } = await client.requestToken('oob');
  const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice, 'deny');
  expect(answer.status).toBe(200);
  expect(answer.text).toContain('Access denied');
});

test('/oauth/authorize is an alias of /oauth/user_auth', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token } = await client.requestToken(callback);
  const { answer } = await authorizeInBrowser(new Browser(gw.url), `${gw.url}/oauth/authorize?oauth_token=${token.key}`, alice);
  expect(answer.status).toBe(303);
  expect(callbackParameters(answer.location as string).get('oauth_token')).toBe(token.key);
});

test('a request token is authorized once: a second consent for it gets an error page, not a redirect', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { authUrl } = await client.requestToken(callback);
  const browser = new Browser(gw.url);
  const first = await authorizeInBrowser(browser, authUrl, alice);
  expect(first.answer.status).toBe(303);
  const again = await browser.submit(first.consent, { decision: 'approve' });
  expect(again.status).toBe(400);
  expect(again.location).toBeNull();
});

test('an unknown request token gets an error page, never a redirect', async () => {
  const page = await new Browser(gw.url).get('/oauth/user_auth?oauth_token=not-a-token');
  expect(page.status).toBe(400);
  expect(page.location).toBeNull();
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
});

test('an expired request token gets an error page', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { authUrl } = await client.requestToken(callback);
  gw.clock.advance((gw.deps.config.lifetimes.oauth1RequestToken + 1) * 1000);
  try {
    const page = await new Browser(gw.url).get(authUrl);
    expect([page.status, page.location]).toEqual([400, null]);
  } finally {
    gw.clock.advance(-(gw.deps.config.lifetimes.oauth1RequestToken + 1) * 1000);
  }
});

test('a consent form without the CSRF token is refused', async () => {
  const client = new OAuth1Client(gw, consumer);
  const browser = new Browser(gw.url);
  await authorizeInBrowser(browser, (await client.requestToken(callback)).authUrl, alice); // signs the browser in
  const { token, authUrl } = await client.requestToken(callback);
  expect((await browser.get(authUrl)).status).toBe(200);
  const forged = await browser.post(`/oauth/user_auth?oauth_token=${encodeURIComponent(token.key)}`, { decision: 'approve' });
  expect([forged.status, forged.location]).toEqual([403, null]);
});

test('request_token refuses a callback that is neither oob nor an absolute http(s) URL', async () => {
  const client = new OAuth1Client(gw, consumer);
  const result = await client.send('POST', '/oauth/request_token', { oauth_callback: 'javascript:alert(1)' });
  expect([result.status, result.form.oauth_problem, result.form.oauth_parameters_rejected]).toEqual([400, 'parameter_rejected', 'oauth_callback']);
});

test('no secret, token, verifier or password reaches the logs', async () => {
  const logs = logWindow(gw);
  // PLAINTEXT in the query puts both secrets in the URL: the access line must still not show them.
  const client = new OAuth1Client(gw, consumer, 'PLAINTEXT', 'query');
  const { token, authUrl } = await client.requestToken(callback);
  const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice);
  const verifier = callbackParameters(answer.location as string).get('oauth_verifier') as string;
  gw.remember(verifier);
  const access = await client.accessToken(token, verifier);
  expect(access.status).toBe(200);
  expect((await client.whoami(tokenOf(access.form))).status).toBe(200);
  expect(logs.text().length).toBeGreaterThan(0);
  expect(logs.leakedSecrets()).toEqual([]);
});
