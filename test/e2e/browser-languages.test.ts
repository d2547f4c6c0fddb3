import { form } from '../helpers/gateway';
import { OAuth1Client, startOAuth1Gateway, type OAuth1Gateway } from '../helpers/oauth1';
import { launchChromium, signInWithChromium, startCallbackServer, type CallbackServer, type Chromium } from '../helpers/browser';
import { axeViolations } from '../helpers/axe';

// Issue 19 item 7 as a person meets it: Debian's Chromium set to German, then to French (its
// Accept-Language), walks the pages; each is in that language, says so in <html lang>, and axe-core
// finds no violation. Screenshots go to test-artifacts/screenshots/.

jest.setTimeout(120_000);

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let site: CallbackServer;

beforeAll(async () => {
  site = await startCallbackServer();
  gw = await startOAuth1Gateway({ config: { scopes: { 'photos.read': { default: 'See your photos', de: 'Ihre Fotos sehen', fr: 'Voir vos photos' } } } });
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'web', name: 'Photo App', grants: 'authorization_code,refresh_token', redirectUris: [`${site.origin}/cb`], scopes: 'photos.read,email' });
  await gw.fixtures.client({ id: 'tv', name: 'Living Room TV', grants: 'device_code', public: true, scopes: 'photos.read' });
});

afterAll(async () => {
  await gw?.close();
  await site?.close();
});

const focusedId = (chromium: Chromium) => chromium.page.evaluate('document.activeElement ? document.activeElement.id : null') as Promise<string | null>;
const lang = (chromium: Chromium) => chromium.page.getAttribute('html', 'lang');

describe('a browser set to German', () => {
  let chromium: Chromium;
  beforeAll(async () => {
    chromium = await launchChromium({ locale: 'de-DE' });
  });
  afterAll(async () => {
    await chromium?.close();
  });

  test('the login page and a failed sign-in: German words, focus on the error; no axe violations', async () => {
    const { page } = chromium;
    // Signed out first: the consent test signs alice in, and tests run in any order.
    await chromium.context.clearCookies();
    await page.goto(`${gw.url}/login`);
    expect(await lang(chromium)).toBe('de');
    expect(await page.title()).toBe('Anmelden');
    expect(await page.textContent('label[for="password"]')).toBe('Passwort');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'wrong password');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(await focusedId(chromium)).toBe('login-problem');
    expect(await page.textContent('#login-problem')).toBe('Benutzername oder Passwort ist falsch.');
    await chromium.screenshot('pages-de-login-error');
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the consent page: the question, the scopes in German, how long access lasts; no axe violations', async () => {
    const { page } = chromium;
    await chromium.context.clearCookies();
    const params = new URLSearchParams({ client_id: 'web', response_type: 'code', redirect_uri: `${site.origin}/cb`, scope: 'photos.read email', state: 's' });
    await page.goto(`${gw.url}/oauth2/authorize?${params}`);
    await signInWithChromium(page, alice);
    expect(await lang(chromium)).toBe('de');
    const main = (await page.textContent('main')) ?? '';
    for (const words of ['Darf Photo App Ihr Konto verwenden?', 'Ihre Fotos sehen', 'Ihre E-Mail-Adresse', 'Der Zugriff gilt jeweils 8 Stunden', 'Ihrer Kontoseite']) expect(main).toContain(words);
    expect(await page.textContent('button[value="deny"]')).toBe('Ablehnen');
    await chromium.screenshot('pages-de-consent');
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('a browser set to French', () => {
  let chromium: Chromium;
  beforeAll(async () => {
    chromium = await launchChromium({ locale: 'fr-FR' });
    await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
  });
  afterAll(async () => {
    await chromium?.close();
  });

  test('the device entry page and its warning in French; no axe violations', async () => {
    const f = form({ client_id: 'tv', scope: 'photos.read' });
    const device = (await gw.request('/oauth2/device_authorization', { method: 'POST', body: f.body, headers: f.headers })).json;
    gw.remember(device.device_code);
    const { page } = chromium;
    await page.goto(device.verification_uri);
    expect(await lang(chromium)).toBe('fr');
    expect(await page.textContent('h1')).toBe('Connecter un appareil');
    expect(await focusedId(chromium)).toBe('user_code');
    await chromium.screenshot('pages-fr-device-entry');
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the oob page: French words, and the copy button reports in French; no axe violations', async () => {
    const consumer = await gw.consumer({ name: 'Desktop Tool' });
    const { authUrl } = await new OAuth1Client(gw, consumer).requestToken('oob');
    const { page } = chromium;
    await chromium.context.clearCookies();
    await page.goto(authUrl);
    await signInWithChromium(page, alice);
    await Promise.all([page.waitForNavigation(), page.click('button[value="approve"]')]);
    const verifier = ((await page.textContent('#verifier')) ?? '').trim();
    gw.remember(verifier, verifier.replace('-', ''));
    expect(await page.textContent('h1')).toBe('Accès autorisé');
    await page.waitForSelector('button[data-copy]', { state: 'visible' });
    await page.click('button[data-copy]');
    await page.locator('#copy-status', { hasText: 'Copié.' }).waitFor();
    await chromium.screenshot('pages-fr-oob');
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the 404 page in French, with the way back and the request id; no axe violations', async () => {
    const { page } = chromium;
    const response = await page.goto(`${gw.url}/pas/de/page`);
    expect(response?.status()).toBe(404);
    expect(await lang(chromium)).toBe('fr');
    expect(await page.textContent('h1')).toBe('Page introuvable');
    expect(await page.textContent('a[data-back]')).toBe('Retour');
    expect(await page.textContent('.request-id')).toBe(await response?.headerValue('x-request-id'));
    await chromium.screenshot('pages-fr-404');
    expect(await axeViolations(page)).toEqual([]);
  });
});
