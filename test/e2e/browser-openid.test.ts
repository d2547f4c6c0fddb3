import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { launchChromium, signInWithChromium, startCallbackServer, type CallbackServer, type Chromium } from '../helpers/browser';
import { rp } from '../helpers/oidc-rp';

// The OpenID Connect code flow with a person in a real browser (Debian's Chromium): openid-client 6
// (in a child process, configured by default discovery) builds the authorization URL with PKCE and a
// nonce, Chromium signs in and reads the consent page, which names the OpenID claims in plain words,
// and the library redeems the code and validates the ID token from the URL Chromium arrived at.

jest.setTimeout(90_000);

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: TestGateway;
let relyingParty: CallbackServer;
let chromium: Chromium;
let secret: string;
let aliceId: string;

beforeAll(async () => {
  relyingParty = await startCallbackServer();
  gw = await startTestGateway();
  aliceId = (await gw.fixtures.user(alice.username, alice.password)).id;
  await gw.deps.store.users.setProfileFields('alice', { displayName: 'Alice Liddell', email: 'alice@example.com', updatedAt: gw.clock() });
  secret = (
    await gw.fixtures.client({ id: 'rp', name: 'Relying Party', grants: 'authorization_code', redirectUris: [`${relyingParty.origin}/cb`], scopes: 'openid,profile,email' })
  ).secret!;
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await relyingParty?.close();
  await gw?.close();
});

test('openid-client + Chromium: sign in, the consent page names the claims, the library validates the ID token', async () => {
  const { page } = chromium;
  const started = await rp('authorize', { server: gw.url, clientId: 'rp', clientSecret: secret, redirectUri: `${relyingParty.origin}/cb`, scope: 'openid profile email' });
  expect(started.error).toBeUndefined();
  await page.goto(started.url);
  await signInWithChromium(page, alice);
  expect(await page.textContent('h1')).toContain('Relying Party');
  const scopes = await page.locator('ul.scopes li').allTextContents();
  expect(scopes).toEqual(expect.arrayContaining(['Your name and username', 'Your email address']));
  expect(scopes).toHaveLength(3);
  await chromium.screenshot('openid-consent');

  await Promise.all([page.waitForURL((url) => url.origin === relyingParty.origin), page.click('button[value="approve"]')]);
  const done = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl: page.url(), verifier: started.verifier, nonce: started.nonce, state: started.state });
  expect(done.error).toBeUndefined();
  gw.remember(done.accessToken, done.refreshToken, done.idToken);
  expect(done.claims).toMatchObject({ iss: gw.url, sub: aliceId, aud: 'rp', nonce: started.nonce, name: 'Alice Liddell', email: 'alice@example.com' });
  expect(done.userinfo).toMatchObject({ sub: aliceId, preferred_username: 'alice', email: 'alice@example.com' });
  expect(gw.leakedSecrets()).toEqual([]);
});
