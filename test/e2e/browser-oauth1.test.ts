import { OAuth1Client, startOAuth1Gateway, tokenOf, type OAuth1Gateway } from '../helpers/oauth1';
import { logWindow } from '../helpers/log-window';
import { launchChromium, signInWithChromium, startCallbackServer, type CallbackServer, type Chromium } from '../helpers/browser';

// OAuth 1.0a user_auth (WebEx "Get User Authorization") in a real browser, on the same pages as the
// OAuth 2.0 flows: the consumer gets a request token (signed by the oauth-1.0a library), the person
// signs in and allows in Chromium, and the consumer's callback receives oauth_verifier.

jest.setTimeout(90_000);

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let consumerSite: CallbackServer;
let chromium: Chromium;

beforeAll(async () => {
  consumerSite = await startCallbackServer();
  gw = await startOAuth1Gateway();
  await gw.fixtures.user(alice.username, alice.password);
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await consumerSite?.close();
  await gw?.close();
});

// Each test starts signed out: a session left by another test would skip the login page.
beforeEach(async () => {
  await chromium.context.clearCookies();
});

/** Signs in and allows on the user_auth page of an oob request token; the verifier the page shows. */
async function oobVerifier(authUrl: string): Promise<string> {
  const { page } = chromium;
  await page.goto(authUrl);
  await signInWithChromium(page, alice);
  await Promise.all([page.waitForNavigation(), page.click('button[value="approve"]')]);
  const verifier = ((await page.textContent('output')) ?? '').trim();
  gw.remember(verifier);
  return verifier;
}

test('sign in, allow, and the callback receives the verifier the consumer exchanges', async () => {
  const consumer = await gw.consumer({ name: 'Legacy Reader' });
  const client = new OAuth1Client(gw, consumer);
  const { token, authUrl } = await client.requestToken(`${consumerSite.origin}/oauth1/callback`);

  const { page } = chromium;
  await page.goto(authUrl);
  expect(await page.textContent('main')).toContain('Legacy Reader');
  await chromium.screenshot('oauth1-login');
  await signInWithChromium(page, alice);
  expect(await page.textContent('h1')).toContain('Legacy Reader');
  await chromium.screenshot('oauth1-consent');
  await Promise.all([page.waitForURL((url) => url.origin === consumerSite.origin), page.click('button[value="approve"]')]);

  const arrived = consumerSite.arrivals.filter((u) => u.pathname === '/oauth1/callback').pop() as URL;
  expect(arrived.searchParams.get('oauth_token')).toBe(token.key);
  const verifier = arrived.searchParams.get('oauth_verifier') as string;
  expect(verifier).toEqual(expect.any(String));
  gw.remember(verifier);
  const access = await client.accessToken(token, verifier);
  expect(access.status).toBe(200);
  expect((await client.whoami(tokenOf(access.form))).json?.username).toBe('alice');
});

test('with an oob callback the verifier is shown on the page', async () => {
  const consumer = await gw.consumer({ name: 'Desktop Tool' });
  const client = new OAuth1Client(gw, consumer);
  const { token, authUrl } = await client.requestToken('oob');
  const verifier = await oobVerifier(authUrl);
  await chromium.screenshot('oauth1-verifier');
  expect((await client.accessToken(token, verifier)).status).toBe(200);
});

test('no secret, token, verifier or password reaches the logs', async () => {
  const logs = logWindow(gw);
  const consumer = await gw.consumer({ name: 'Log Checker' });
  const client = new OAuth1Client(gw, consumer);
  const { token, authUrl } = await client.requestToken('oob');
  const access = await client.accessToken(token, await oobVerifier(authUrl));
  expect(access.status).toBe(200);
  expect((await client.whoami(tokenOf(access.form))).status).toBe(200);
  expect(logs.text()).toContain('/oauth/access_token');
  expect(logs.leakedSecrets()).toEqual([]);
});
