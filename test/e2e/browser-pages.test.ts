import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { form } from '../helpers/gateway';
import { OAuth1Client, startOAuth1Gateway, type OAuth1Gateway } from '../helpers/oauth1';
import { launchChromium, signInWithChromium, startCallbackServer, type CallbackServer, type Chromium } from '../helpers/browser';
import { contrastRatio } from '../../src/config/pages';

// The pages as a person meets them, in Debian's Chromium with the gateway's CSP in force, on a
// branded gateway: axe-core finds no accessibility violation on the consent, device, oob, failed
// login and 404 pages; focus lands on the first field, or on the error after a failed sign-in; the
// focus ring contrasts 3:1 with the card; the oob copy button copies. Screenshots go to
// test-artifacts/screenshots/.

jest.setTimeout(120_000);

const alice = { username: 'alice', password: 'alice-password-1' };
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let gw: OAuth1Gateway;
let chromium: Chromium;
let site: CallbackServer;

beforeAll(async () => {
  site = await startCallbackServer();
  gw = await startOAuth1Gateway({
    config: {
      scopes: { 'photos.read': 'See your photos' },
      branding: {
        productName: 'Example Photos',
        logoFile: path.join(__dirname, '..', 'fixtures', 'logo.svg'),
        accentColour: '#0f5132',
        footerLinks: [{ text: 'Privacy', href: 'https://photos.example/privacy' }],
      },
    },
  });
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'web', name: 'Photo App', grants: 'authorization_code,refresh_token', redirectUris: [`${site.origin}/cb`], scopes: 'photos.read,openid,profile,email' });
  await gw.fixtures.client({ id: 'tv', name: 'Living Room TV', grants: 'device_code', public: true, scopes: 'photos.read' });
  chromium = await launchChromium();
  await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
});

afterAll(async () => {
  await chromium?.close();
  await gw?.close();
  await site?.close();
});

beforeEach(async () => {
  await chromium.context.clearCookies();
});

/** axe-core's WCAG 2.x A/AA and best-practice rules on the page as shown; the violations, by rule and target. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (it allows no inline script).
  await page.evaluate(axeSource);
  // Strings run in the page (the test's TypeScript has no DOM types).
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })`,
  )) as { violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const focusedId = (page: Page) => page.evaluate('document.activeElement ? document.activeElement.id : null') as Promise<string | null>;

/** The focused element's outline colour against the card behind it, as a WCAG contrast ratio. */
async function focusRingContrast(page: Page): Promise<number> {
  const [ring, card] = (await page.evaluate(`(() => {
    const hex = (rgb) => '#' + (rgb.match(/\\d+/g) || []).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, '0')).join('');
    const style = getComputedStyle(document.activeElement);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return ['none', 'none'];
    return [hex(style.outlineColor), hex(getComputedStyle(document.querySelector('main')).backgroundColor)];
  })()`)) as [string, string];
  if (ring === 'none') throw new Error('the focused element shows no focus ring');
  return contrastRatio(ring, card);
}

test('the login page: focus on the first field, a visible focus ring of 3:1, no axe violations', async () => {
  const { page } = chromium;
  await page.goto(`${gw.url}/login`);
  expect(await focusedId(page)).toBe('username');
  await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe('password');
  expect(await focusRingContrast(page)).toBeGreaterThanOrEqual(3);
  expect(await page.title()).toBe('Sign in · Example Photos');
  await chromium.screenshot('pages-login');
  expect(await axeViolations(page)).toEqual([]);
});

test('after a failed sign-in focus is on the error, which names no field; axe finds nothing', async () => {
  const { page } = chromium;
  await page.goto(`${gw.url}/login`);
  await page.fill('#username', 'alice');
  await page.fill('#password', 'wrong password');
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  expect(await focusedId(page)).toBe('login-problem');
  expect(await page.textContent('#login-problem')).toBe('Wrong username or password.');
  await chromium.screenshot('pages-login-error');
  expect(await axeViolations(page)).toEqual([]);
});

test('the consent page names the claims and scopes in words, the host, the duration and where to revoke; no axe violations', async () => {
  const { page } = chromium;
  const params = new URLSearchParams({ client_id: 'web', response_type: 'code', redirect_uri: `${site.origin}/cb`, scope: 'photos.read openid profile email', state: 's' });
  await page.goto(`${gw.url}/oauth2/authorize?${params}`);
  await signInWithChromium(page, alice);
  const main = (await page.textContent('main')) ?? '';
  for (const words of ['See your photos', 'Sign you in with your account', 'Your name and username', 'Your email address', new URL(site.origin).host, 'Access lasts 8 hours at a time', 'Your choice is remembered', 'your account page']) {
    expect(main).toContain(words);
  }
  expect(await page.getAttribute('a[href="/account"]', 'href')).toBe('/account');
  await chromium.screenshot('pages-consent');
  expect(await axeViolations(page)).toEqual([]);
});

test('the device pages: entry focused on the code field, confirmation shows the code, the app and the warning; no axe violations', async () => {
  const f = form({ client_id: 'tv', scope: 'photos.read' });
  const device = (await gw.request('/oauth2/device_authorization', { method: 'POST', body: f.body, headers: f.headers })).json;
  gw.remember(device.device_code);
  const { page } = chromium;
  await page.goto(device.verification_uri);
  expect(await focusedId(page)).toBe('user_code');
  await chromium.screenshot('pages-device-entry');
  expect(await axeViolations(page)).toEqual([]);

  await page.fill('#user_code', device.user_code);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  await signInWithChromium(page, alice);
  const main = (await page.textContent('main')) ?? '';
  expect(main).toContain('Living Room TV');
  expect(await page.textContent('.user-code-shown')).toBe(device.user_code);
  expect(main).toContain('Allow only if this code is on the screen of a device you are holding or own.');
  await chromium.screenshot('pages-device-confirm');
  expect(await axeViolations(page)).toEqual([]);
});

test('the oob page: the grouped verifier and a copy button that copies it; no axe violations', async () => {
  const consumer = await gw.consumer({ name: 'Desktop Tool' });
  const { authUrl } = await new OAuth1Client(gw, consumer).requestToken('oob');
  const { page } = chromium;
  await page.goto(authUrl);
  await signInWithChromium(page, alice);
  await Promise.all([page.waitForNavigation(), page.click('button[value="approve"]')]);
  const verifier = ((await page.textContent('#verifier')) ?? '').trim();
  gw.remember(verifier, verifier.replace('-', ''));
  expect(verifier).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  // Drawn hidden; our script (allowed by this page's CSP, as a file) shows it.
  await page.waitForSelector('button[data-copy]', { state: 'visible' });
  await page.click('button[data-copy]');
  // A locator, not waitForFunction: its polling evaluates the predicate in the page, where this
  // page's CSP (no 'unsafe-eval') refuses it whenever the first check comes too early.
  await page.locator('#copy-status', { hasText: 'Copied.' }).waitFor();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(verifier);
  await chromium.screenshot('pages-oob');
  expect(await axeViolations(page)).toEqual([]);
});

test('the 404 page for a browser: a way back that returns to the previous page, the request id; no axe violations', async () => {
  const { page } = chromium;
  await page.goto(`${gw.url}/login`);
  const response = await page.goto(`${gw.url}/no/such/page`);
  expect(response?.status()).toBe(404);
  expect(await page.textContent('h1')).toBe('Page not found');
  expect(await page.textContent('.request-id')).toBe(await response?.headerValue('x-request-id'));
  await chromium.screenshot('pages-404');
  expect(await axeViolations(page)).toEqual([]);
  await Promise.all([page.waitForURL(`${gw.url}/login`), page.click('a[data-back]')]);
});
