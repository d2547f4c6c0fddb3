import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { basicAuth, form } from '../helpers/gateway';
import { axeViolations } from '../helpers/axe';
import { launchChromium, signInWithChromium, type Chromium } from '../helpers/browser';
import { OAuth1Client, startOAuth1Gateway, xauthAccess, type OAuth1Gateway } from '../helpers/oauth1';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// /account and /console as a person sees them, in Debian's Chromium: every page at a desktop and a
// phone size (screenshots in a temp dir), axe-core run inside the page with no violation, and the
// revoke button on /account refusing the revoked token at the proxy on the next request.

jest.setTimeout(180_000);

const alice = { username: 'alice', password: 'alice-password-1' };
const root = { username: 'root-operator', password: 'root-password-1' };
const sizes = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

let gw: OAuth1Gateway;
let upstream: TestUpstream;
let chromium: Chromium;
let shots: string;
let notesSecret: string;

beforeAll(async () => {
  shots = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-console-shots-'));
  upstream = await startUpstream('api');
  gw = await startOAuth1Gateway({ config: { routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth1', 'oauth2'] }], oauth1: { plaintextOverHttp: true } } });
  const operators = await gw.fixtures.profile('operators', ['admin']);
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.user(root.username, root.password, { profile: operators });
  notesSecret = (await gw.fixtures.client({ id: 'notes', name: 'Notes App', grants: 'password,refresh_token', scopes: 'notes.read,notes.write' })).secret!;
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await gw?.close();
  await upstream?.close();
  // The screenshots stay for a person to look at; their folder is named in the test output.
  if (shots) process.stdout.write(`console screenshots: ${shots}\n`);
});

beforeEach(async () => {
  await chromium.context.clearCookies();
});

async function passwordToken(user: { username: string; password: string }): Promise<string> {
  const f = form({ grant_type: 'password', username: user.username, password: user.password, scope: 'notes.read' });
  const res = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('notes', notesSecret) } });
  expect(res.status).toBe(200);
  return res.json.access_token;
}

const atProxy = async (token: string) => (await fetch(`${gw.url}/api/notes`, { headers: { authorization: `Bearer ${token}` } })).status;


/** Screenshots at both sizes and axe at both (a phone layout can break what the desktop one keeps). */
async function checkAtBothSizes(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(shots, `${name}-${size}.png`), fullPage: true });
    expect([name, size, await axeViolations(page)]).toEqual([name, size, []]);
    // Nothing wider than the screen but the tables' own scrolling regions.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect([name, size, overflow]).toEqual([name, size, 0]);
  }
}

test('/account: the allowed apps of both protocols, accessible at both sizes; Revoke refuses the token at the proxy at once', async () => {
  const consumer = await gw.consumer({ name: 'Mobile Notes', xauth: true });
  await xauthAccess(new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header'), alice);
  const token = await passwordToken(alice);
  expect(await atProxy(token)).toBe(200);

  const { page } = chromium;
  await page.setViewportSize(sizes.desktop);
  await page.goto(`${gw.url}/account`);
  expect(await page.textContent('h1')).toBe('Sign in');
  await signInWithChromium(page, alice);
  expect(await page.textContent('h1')).toBe('Your account');
  const apps = await page.locator('table tbody th .app').allTextContents();
  expect(apps.sort()).toEqual(['Mobile Notes', 'Notes App']);
  await checkAtBothSizes(page, 'account');

  await page.setViewportSize(sizes.desktop);
  await Promise.all([page.waitForURL(/\/account\?done=revoked$/), page.click('button[aria-label="Revoke Notes App"]')]);
  expect(await page.textContent('p.notice')).toContain('Access revoked');
  expect(await atProxy(token)).toBe(401);
  expect(await page.locator('table tbody th .app').allTextContents()).toEqual(['Mobile Notes']);
  await checkAtBothSizes(page, 'account-after-revoke');
});

test('/console: every page accessible at desktop and phone sizes, with the dashboard charts drawn inline', async () => {
  expect(await atProxy(await passwordToken(alice))).toBe(200); // a token and a proxied request on the charts
  const { page } = chromium;
  await page.setViewportSize(sizes.desktop);
  await page.goto(`${gw.url}/console`);
  await signInWithChromium(page, root);
  expect(await page.textContent('h1')).toBe('Dashboard');
  expect(await page.locator('figure.chart svg[role="img"]').count()).toBeGreaterThanOrEqual(3);
  await checkAtBothSizes(page, 'console-dashboard');

  for (const [href, heading, name] of [
    ['/console/clients', 'OAuth 2.0 clients', 'console-clients'],
    ['/console/consumers', 'OAuth 1.0a consumers', 'console-consumers'],
    ['/console/users', 'Users and profiles', 'console-users'],
    ['/console/routes', 'Route table', 'console-routes'],
    ['/console/audit', 'Audit log', 'console-audit'],
  ] as const) {
    await page.setViewportSize(sizes.desktop);
    await Promise.all([page.waitForURL(`${gw.url}${href}`), page.click(`nav.console a[href="${href}"]`)]);
    expect(await page.textContent('h1')).toBe(heading);
    await checkAtBothSizes(page, name);
  }

  await page.setViewportSize(sizes.desktop);
  await page.goto(`${gw.url}/console/users`);
  await Promise.all([page.waitForURL(/\/console\/grants\?user=alice$/), page.click('button[aria-label="Grants of alice"]')]);
  expect(await page.textContent('h2')).toContain('Live grants of alice');
  await checkAtBothSizes(page, 'console-grants');
});

test('/console buttons: disable, rotate a secret (shown once), the delete confirmation and the audit log, accessible at both sizes', async () => {
  const { secret: oldSecret } = await gw.fixtures.client({ id: 'reports', name: 'Reports', grants: 'password', scopes: 'notes.read' });
  const { page } = chromium;
  await page.setViewportSize(sizes.desktop);
  await page.goto(`${gw.url}/console/clients`);
  await signInWithChromium(page, root);
  expect(await page.textContent('h1')).toBe('OAuth 2.0 clients');

  await Promise.all([page.waitForURL(/\/console\/clients\?done=disabled$/), page.click('button[aria-label="Disable client Reports"]')]);
  expect(await page.textContent('p.notice')).toContain('Disabled');
  expect((await gw.deps.store.clients.findById('reports'))!.enabled).toBe(false);
  await checkAtBothSizes(page, 'console-clients-after-disable');

  await page.setViewportSize(sizes.desktop);
  await Promise.all([page.waitForURL(`${gw.url}/console/clients/rotate-secret`), page.click('button[aria-label="Rotate secret of client Reports"]')]);
  expect(await page.textContent('h1')).toBe('New secret of this client');
  const secret = (await page.textContent('code.secret'))!;
  gw.remember(oldSecret, secret);
  expect(secret).not.toBe(oldSecret);
  await checkAtBothSizes(page, 'console-rotated-secret');

  await page.setViewportSize(sizes.desktop);
  await page.goto(`${gw.url}/console/clients`);
  await Promise.all([page.waitForURL(/\/console\/clients\/delete\?id=reports$/), page.click('button[aria-label="Delete client Reports"]')]);
  expect(await page.textContent('h1')).toBe('Delete this client?');
  await checkAtBothSizes(page, 'console-confirm-delete');
  await page.setViewportSize(sizes.desktop);
  await Promise.all([page.waitForURL(/\/console\/clients\?done=deleted$/), page.click('button:has-text("Delete client reports")')]);
  expect(await gw.deps.store.clients.findById('reports')).toBeNull();

  await page.goto(`${gw.url}/console/audit`);
  const operations = await page.locator('table tbody td[data-label="Operation"]').allTextContents();
  expect(operations.slice(0, 3)).toEqual(['deleteClient', 'rotateClientSecret', 'disableClient']);
  await checkAtBothSizes(page, 'console-audit-after-changes');
  expect(gw.leakedSecrets()).toEqual([]);
});
