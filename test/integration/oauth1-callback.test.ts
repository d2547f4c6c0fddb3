import { setConsumerCallback } from '../../src/accounts/admin';
import {
  Browser,
  OAuth1Client,
  authorizeInBrowser,
  callbackParameters,
  readVerifier,
  startOAuth1Gateway,
  type ConsumerCredentials,
  type ConsumerInput,
  type FormResult,
  type OAuth1Gateway,
} from '../helpers/oauth1';

// A consumer's registered callback is enforced: whoever holds (or extracted) a consumer's key and
// secret must not be able to start a flow whose verifier goes to a site of their choosing while the
// consent page names the real consumer. request_token refuses a callback the registration does not
// cover with parameter_rejected (oauth_parameters_rejected=oauth_callback), and the consent page
// says where the user will be sent.

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  await gw.fixtures.user(alice.username, alice.password);
});
afterAll(() => gw.close());

const registered = (input: ConsumerInput) => gw.consumer({ name: 'Photo Printer', ...input });

async function requestToken(consumer: ConsumerCredentials, callback: string): Promise<FormResult> {
  const result = await new OAuth1Client(gw, consumer).send('POST', '/oauth/request_token', { oauth_callback: callback });
  gw.remember(result.form.oauth_token, result.form.oauth_token_secret);
  return result;
}

function expectCallbackRefused(result: FormResult): void {
  expect([result.status, result.form.oauth_problem, result.form.oauth_parameters_rejected]).toEqual([400, 'parameter_rejected', 'oauth_callback']);
  expect(result.form.oauth_token).toBeUndefined();
}

describe('a consumer registered with https://app.example/oauth/cb (same origin, path prefix)', () => {
  let consumer: ConsumerCredentials;
  beforeAll(async () => {
    consumer = await registered({ callback: 'https://app.example/oauth/cb' });
  });

  test.each([
    'https://app.example/oauth/cb',
    'https://app.example/oauth/cb?state=1',
    'https://app.example/oauth/cb/done',
    'https://APP.example:443/oauth/cb',
    'oob',
  ])('accepts %s', async (callback) => {
    const result = await requestToken(consumer, callback);
    expect([result.status, result.form.oauth_callback_confirmed]).toEqual([200, 'true']);
  });

  test.each([
    ['another host', 'https://evil.example/oauth/cb'],
    ['a subdomain of the host', 'https://evil.app.example/oauth/cb'],
    ['a host that merely starts with it', 'https://app.example.evil.example/oauth/cb'],
    ['userinfo that looks like the host', 'https://app.example@evil.example/oauth/cb'],
    ['plain http', 'http://app.example/oauth/cb'],
    ['another port', 'https://app.example:8443/oauth/cb'],
    ['a path beside the prefix', 'https://app.example/oauth/cbx'],
    ['another path', 'https://app.example/logout'],
    ['dot segments out of the prefix', 'https://app.example/oauth/cb/../../logout'],
    ['encoded dot segments out of the prefix', 'https://app.example/oauth/cb/%2e%2e/%2E%2E/logout'],
    ['an encoded slash', 'https://app.example/oauth/cb%2f..%2f..%2flogout'],
    ['a custom scheme', 'myapp://app.example/oauth/cb'],
    ['javascript:', 'javascript:alert(document.domain)//https://app.example/oauth/cb'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
  ])('refuses %s', async (_label, callback) => {
    expectCallbackRefused(await requestToken(consumer, callback));
  });

  test('the attack: a flow started with a foreign callback never reaches the consent page', async () => {
    const result = await requestToken(consumer, 'https://evil.example/steal');
    expectCallbackRefused(result);
    expect(result.form.oauth_problem_advice).toMatch(/registered/);
  });

  test('an accepted callback gets the verifier, and the consent page shows its host', async () => {
    const result = await requestToken(consumer, 'https://app.example/oauth/cb?state=xyz');
    const { consent, answer } = await authorizeInBrowser(new Browser(gw.url), result.form.xoauth_user_auth_url, alice);
    expect(consent.text).toMatch(/sent to <strong>app\.example<\/strong>/);
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^https:\/\/app\.example\/oauth\/cb\?state=xyz&oauth_token=/);
    gw.remember(callbackParameters(answer.location as string).get('oauth_verifier'));
  });
});

describe('a native app registered with a custom scheme, myapp://callback', () => {
  let consumer: ConsumerCredentials;
  beforeAll(async () => {
    consumer = await registered({ name: 'Native App', callback: 'myapp://callback' });
  });

  test('myapp://callback gets the verifier through the consent page', async () => {
    const result = await requestToken(consumer, 'myapp://callback');
    expect(result.status).toBe(200);
    const { consent, answer } = await authorizeInBrowser(new Browser(gw.url), result.form.xoauth_user_auth_url, alice);
    expect(consent.text).toContain('myapp://callback');
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^myapp:\/\/callback\?oauth_token=[^&]+&oauth_verifier=/);
    gw.remember(new URL(answer.location as string).searchParams.get('oauth_verifier'));
  });

  test.each(['otherapp://callback', 'myapp://elsewhere', 'https://callback/', 'javascript:alert(1)'])('refuses %s', async (callback) => {
    expectCallbackRefused(await requestToken(consumer, callback));
  });
});

describe('a consumer registered with oob', () => {
  test('may use oob and nothing else', async () => {
    const consumer = await registered({ name: 'Kiosk', callback: 'oob' });
    expect((await requestToken(consumer, 'oob')).status).toBe(200);
    expectCallbackRefused(await requestToken(consumer, 'https://app.example/cb'));
  });
});

describe('a consumer registered without a callback', () => {
  let consumer: ConsumerCredentials;
  beforeAll(async () => {
    consumer = await registered({ name: 'Legacy' });
  });

  test.each(['oob', 'https://anywhere.example/cb', 'http://127.0.0.1:9000/cb?x=1'])('accepts %s (each request names its own, RFC 5849)', async (callback) => {
    expect((await requestToken(consumer, callback)).status).toBe(200);
  });

  test.each(['javascript:alert(1)', 'data:text/html,x', 'vbscript:msgbox(1)', 'file:///etc/passwd', 'myapp://callback', 'https:anywhere.example/cb', '/relative'])(
    'refuses %s',
    async (callback) => {
      expectCallbackRefused(await requestToken(consumer, callback));
    },
  );

  test('the consent page shows where the verifier goes, so the user sees a foreign host', async () => {
    const result = await requestToken(consumer, 'https://anywhere.example:8443/cb');
    const { consent } = await authorizeInBrowser(new Browser(gw.url), result.form.xoauth_user_auth_url, alice, 'deny');
    expect(consent.text).toMatch(/sent to <strong>anywhere\.example:8443<\/strong>/);
  });

  test('with oob the consent page says the code is shown here', async () => {
    const result = await requestToken(consumer, 'oob');
    const { consent, answer } = await authorizeInBrowser(new Browser(gw.url), result.form.xoauth_user_auth_url, alice);
    expect(consent.text).not.toMatch(/sent to/);
    gw.remember(readVerifier(answer.text));
  });
});

describe('a consumer registered for an exact match', () => {
  let consumer: ConsumerCredentials;
  beforeAll(async () => {
    consumer = await registered({ name: 'Strict', callback: 'https://app.example/oauth/cb', callbackMatch: 'exact' });
  });

  test.each(['https://app.example/oauth/cb', 'oob'])('accepts %s', async (callback) => {
    expect((await requestToken(consumer, callback)).status).toBe(200);
  });

  test.each(['https://app.example/oauth/cb?state=1', 'https://app.example/oauth/cb/done', 'https://app.example/oauth/cb#x'])('refuses %s', async (callback) => {
    expectCallbackRefused(await requestToken(consumer, callback));
  });
});

test('a request token issued before the registration was tightened gets an error page, not a redirect', async () => {
  const consumer = await registered({ name: 'Tightened later' });
  const result = await requestToken(consumer, 'https://old.example/cb');
  expect(result.status).toBe(200);
  await setConsumerCallback(gw.deps, consumer.key, { callback: 'https://app.example/cb' });
  const browser = new Browser(gw.url);
  const page = await browser.get(result.form.xoauth_user_auth_url);
  expect([page.status, page.location]).toEqual([400, null]);
});

test('removing a registration (consumer set --no-callback) allows any http(s) callback again', async () => {
  const consumer = await registered({ name: 'Loosened', callback: 'https://app.example/cb' });
  expectCallbackRefused(await requestToken(consumer, 'https://other.example/cb'));
  await setConsumerCallback(gw.deps, consumer.key, { callback: false });
  expect((await requestToken(consumer, 'https://other.example/cb')).status).toBe(200);
});
