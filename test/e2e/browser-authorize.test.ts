import { form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { launchChromium, pkcePair, signInWithChromium, startCallbackServer, type CallbackServer, type Chromium } from '../helpers/browser';

// /oauth2/authorize in a real browser (Debian's Chromium through playwright-core): a person signs
// in, reads the consent page and allows; Chromium enforces the pages' CSP on the redirect chain
// (consent POST -> 303 -> the client's redirect URI). A tiny local web server plays the client.
// Screenshots of every page go to test-artifacts/screenshots/.

jest.setTimeout(90_000);

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: TestGateway;
let client: CallbackServer;
let chromium: Chromium;

beforeAll(async () => {
  client = await startCallbackServer();
  gw = await startTestGateway();
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'photos', name: 'Photo Printer', grants: 'authorization_code', public: true, redirectUris: [`${client.origin}/cb`], scopes: 'photos.read,profile' });
  await gw.fixtures.client({ id: 'widget', name: 'Dashboard Widget', grants: 'authorization_code', public: true, implicit: true, redirectUris: [`${client.origin}/implicit`], scopes: 'read' });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await client?.close();
  await gw?.close();
});

beforeEach(async () => {
  await chromium.context.clearCookies();
});

test('authorization code with PKCE: sign in, allow, the client gets the code and redeems it', async () => {
  const { page } = chromium;
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    client_id: 'photos',
    response_type: 'code',
    scope: 'photos.read profile',
    state: 'state with spaces & symbols',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  await page.goto(`${gw.url}/oauth2/authorize?${query}`);
  expect(await page.textContent('h1')).toBe('Sign in');
  expect(await page.textContent('main')).toContain('Photo Printer');
  await chromium.screenshot('authorize-login');

  await signInWithChromium(page, alice);
  expect(await page.textContent('h1')).toContain('Photo Printer');
  expect(await page.locator('ul.scopes li').allTextContents()).toEqual(['photos.read', 'Your name and username']);
  await chromium.screenshot('authorize-consent');

  await Promise.all([page.waitForURL((url) => url.origin === client.origin), page.click('button[value="approve"]')]);
  expect(await page.textContent('h1')).toBe('Back at the client');
  const arrived = client.arrivals.filter((u) => u.pathname === '/cb').pop() as URL;
  expect(arrived.searchParams.get('state')).toBe('state with spaces & symbols');
  expect(arrived.searchParams.get('iss')).toBe(gw.url);
  const code = arrived.searchParams.get('code') as string;
  gw.remember(code);

  const f = form({ grant_type: 'authorization_code', client_id: 'photos', code, code_verifier: verifier });
  const token = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers });
  expect(token.status).toBe(200);
  expect(token.json.scope).toBe('photos.read profile');
  const who = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${token.json.access_token}` } });
  expect(who.json).toMatchObject({ username: 'alice', clientId: 'photos', scopes: ['photos.read', 'profile'] });
});

test('implicit: the access token arrives in the fragment of the page URL and works', async () => {
  const { page } = chromium;
  const query = new URLSearchParams({ client_id: 'widget', response_type: 'token', state: 'w1' });
  await page.goto(`${gw.url}/oauth2/authorize?${query}`);
  await signInWithChromium(page, alice);
  await Promise.all([page.waitForURL((url) => url.origin === client.origin), page.click('button[value="approve"]')]);

  const landed = new URL(page.url());
  expect(landed.pathname).toBe('/implicit');
  expect(landed.search).toBe('');
  const fragment = new URLSearchParams(landed.hash.slice(1));
  const accessToken = fragment.get('access_token') as string;
  gw.remember(accessToken);
  expect([fragment.get('token_type'), fragment.get('state'), fragment.get('iss'), fragment.has('refresh_token')]).toEqual(['Bearer', 'w1', gw.url, false]);
  // The fragment never reaches a server: the client's server saw the path only.
  expect(client.arrivals.filter((u) => u.pathname === '/implicit').every((u) => u.search === '')).toBe(true);
  const who = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${accessToken}` } });
  expect(who.json).toMatchObject({ username: 'alice', clientId: 'widget' });
});

test('denying sends the browser back to the client with access_denied', async () => {
  const { page } = chromium;
  const { challenge } = pkcePair();
  const query = new URLSearchParams({ client_id: 'photos', response_type: 'code', state: 'd1', code_challenge: challenge, code_challenge_method: 'S256', prompt: 'consent' });
  await page.goto(`${gw.url}/oauth2/authorize?${query}`);
  await signInWithChromium(page, alice);
  await Promise.all([page.waitForURL((url) => url.origin === client.origin), page.click('button[value="deny"]')]);
  const landed = new URL(page.url());
  expect([landed.searchParams.get('error'), landed.searchParams.get('state')]).toEqual(['access_denied', 'd1']);
});

test('an unknown client gets the error page and the browser stays on the gateway', async () => {
  const { page } = chromium;
  const response = await page.goto(`${gw.url}/oauth2/authorize?client_id=nobody&response_type=code&redirect_uri=${encodeURIComponent(client.origin + '/cb')}`);
  expect(response?.status()).toBe(400);
  expect(new URL(page.url()).origin).toBe(gw.url);
  expect(await page.textContent('h1')).toBe('This application is not known');
  await chromium.screenshot('authorize-error');
});

test('no code, token or password reaches the logs', async () => {
  const logs = logWindow(gw);
  const { page } = chromium;
  const { verifier, challenge } = pkcePair();
  // prompt=consent: another test may already have recorded alice's consent for this client.
  const query = new URLSearchParams({ client_id: 'photos', response_type: 'code', scope: 'photos.read', state: 'l1', code_challenge: challenge, code_challenge_method: 'S256', prompt: 'consent' });
  await page.goto(`${gw.url}/oauth2/authorize?${query}`);
  await signInWithChromium(page, alice);
  await Promise.all([page.waitForURL((url) => url.origin === client.origin), page.click('button[value="approve"]')]);
  const code = new URL(page.url()).searchParams.get('code') as string;
  gw.remember(code);
  const f = form({ grant_type: 'authorization_code', client_id: 'photos', code, code_verifier: verifier });
  const token = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers });
  expect(token.status).toBe(200);
  expect((await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${token.json.access_token}` } })).status).toBe(200);
  expect(logs.text()).toContain('/oauth2/authorize');
  expect(logs.leakedSecrets()).toEqual([]);
});
