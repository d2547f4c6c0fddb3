import type { Page } from 'playwright-core';
import { axeViolations } from '../helpers/axe';
import { Browser, launchChromium, signInWithChromium, type Chromium } from '../helpers/browser';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

// The console's create and edit forms as a person sees them, in Debian's Chromium: every form at a
// desktop and a phone size (screenshots in test-artifacts/screenshots), axe-core with no violation,
// the focus on the first field in error after a refused save, the secret shown once, and a stale
// edit coming back with the current values; a user's browser sessions with their End buttons.

jest.setTimeout(180_000);

const root = { username: 'forms-root', password: 'root-password-1' };
const auditor = { username: 'forms-auditor', password: 'auditor-password-1' };
const sizes = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

let gw: TestGateway;
let chromium: Chromium;

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.user(root.username, root.password, { profile: await gw.fixtures.profile('operators', ['admin']) });
  await gw.fixtures.user(auditor.username, auditor.password, { profile: await gw.fixtures.profile('auditors', ['admin_read']) });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await gw?.close();
});

beforeEach(async () => {
  await chromium.context.clearCookies();
  await chromium.page.setViewportSize(sizes.desktop);
});


async function checkAtBothSizes(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    await chromium.screenshot(`${name}-${size}`);
    expect([name, size, await axeViolations(page)]).toEqual([name, size, []]);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect([name, size, overflow]).toEqual([name, size, 0]);
  }
  await page.setViewportSize(sizes.desktop);
}

const focusedId = (page: Page) => page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');

async function signIn(page: Page, path: string, who = root): Promise<void> {
  await page.goto(`${gw.url}${path}`);
  await signInWithChromium(page, who);
}

test('new client: the empty form, a refused save with the focus on the first field in error, then the secret shown once', async () => {
  const { page } = chromium;
  await signIn(page, '/console/clients');
  await Promise.all([page.waitForURL(`${gw.url}/console/clients/new`), page.click('a[href="/console/clients/new"]')]);
  expect(await page.textContent('h1')).toBe('New client');
  expect(await page.locator('label[for="f-client_id"]').textContent()).toBe('Client ID');
  await checkAtBothSizes(page, 'console-client-new');

  await page.fill('#f-access_ttl', 'soon');
  await Promise.all([page.waitForLoadState('load'), page.waitForURL(`${gw.url}/console/clients/new`), page.click('button:has-text("Register client")')]);
  expect(await page.locator('.field-error').count()).toBe(3);
  await page.waitForFunction('document.activeElement && document.activeElement.id === "f-name"');
  expect(await focusedId(page)).toBe('f-name');
  expect(await page.inputValue('#f-access_ttl')).toBe('soon');
  await checkAtBothSizes(page, 'console-client-new-errors');

  await page.check('#f-grants-client_credentials');
  await page.fill('#f-client_id', 'reports-e2e');
  await page.fill('#f-name', 'Reports');
  await page.fill('#f-access_ttl', '900');
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Register client")')]);
  expect(await page.textContent('h1')).toBe('New client registered');
  const secret = (await page.textContent('code.secret'))!;
  gw.remember(secret);
  expect((await gw.deps.store.clients.findById('reports-e2e'))!.accessTtl).toBe(900);
  await checkAtBothSizes(page, 'console-client-created');
  expect(gw.leakedSecrets()).toEqual([]);
});

test('edit a client, and a stale save answered with the current values', async () => {
  await gw.fixtures.client({ id: 'notes-e2e', name: 'Notes', grants: 'password', scopes: 'notes.read' });
  const { page } = chromium;
  await signIn(page, '/console/clients');
  await Promise.all([page.waitForURL(/\/console\/clients\/edit\?id=notes-e2e$/), page.click('button[aria-label="Edit client Notes"]')]);
  expect(await page.textContent('h1')).toBe('Edit client');
  expect(await page.inputValue('#f-name')).toBe('Notes');
  await checkAtBothSizes(page, 'console-client-edit');

  // Someone else disables the client meanwhile: the representation, and so its version, changes.
  await gw.deps.store.clients.setEnabled('notes-e2e', false);
  await page.fill('#f-name', 'Notes (renamed)');
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Save changes")')]);
  expect(await page.textContent('p.error[role="alert"]')).toContain('someone changed this client after you opened the form');
  expect(await page.inputValue('#f-name')).toBe('Notes');
  await checkAtBothSizes(page, 'console-client-edit-stale');

  await page.fill('#f-name', 'Notes (renamed)');
  await Promise.all([page.waitForURL(/\/console\/clients\?done=saved$/), page.click('button:has-text("Save changes")')]);
  expect((await gw.deps.store.clients.findById('notes-e2e'))!.name).toBe('Notes (renamed)');
});

test('the consumer, user and profile forms', async () => {
  const { page } = chromium;
  await signIn(page, '/console/consumers/new');
  expect(await page.textContent('h1')).toBe('New consumer');
  await checkAtBothSizes(page, 'console-consumer-new');
  await page.fill('#f-name', 'Phone app');
  await page.check('#f-xauth');
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Register consumer")')]);
  expect(await page.textContent('h1')).toBe('New consumer registered');
  gw.remember(await page.textContent('code.secret'));

  await page.goto(`${gw.url}/console/users/new`);
  await checkAtBothSizes(page, 'console-user-new');
  await page.fill('#f-username', 'dora');
  await page.fill('#f-password', 'short');
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Create user")')]);
  await page.waitForFunction('document.activeElement && document.activeElement.id === "f-password"');
  expect(await page.inputValue('#f-password')).toBe('');
  await checkAtBothSizes(page, 'console-user-new-errors');

  await page.goto(`${gw.url}/console/users`);
  await Promise.all([page.waitForURL(/\/console\/profiles\/edit\?id=operators$/), page.click('button[aria-label="Edit profile operators"]')]);
  expect(await page.inputValue('#f-privileges')).toBe('admin');
  await checkAtBothSizes(page, 'console-profile-edit');
});

test('admin_read: the edit form read-only', async () => {
  await gw.fixtures.client({ id: 'ro-e2e', name: 'Read only', grants: 'password' });
  const { page } = chromium;
  await signIn(page, '/console/clients/edit?id=ro-e2e', auditor);
  expect(await page.textContent('h1')).toBe('Edit client');
  expect(await page.isDisabled('#f-name')).toBe(true);
  expect(await page.locator('button[type="submit"]').count()).toBe(0);
  await checkAtBothSizes(page, 'console-client-edit-read-only');
});

test("a user's browser sessions on the grants page; End signs that browser out", async () => {
  const elsewhere = { username: 'forms-erin', password: 'erin-password-1' };
  await gw.fixtures.user(elsewhere.username, elsewhere.password);
  const other = new Browser(gw.url);
  expect((await other.submit(await other.get('/account'), elsewhere)).status).toBe(303);
  const { page } = chromium;
  await signIn(page, `/console/grants?user=${elsewhere.username}`);
  expect(await page.textContent('main h2:nth-of-type(2)')).toBe(`Browser sessions of ${elsewhere.username}`);
  expect(await page.locator('button:has-text("End")').count()).toBe(1);
  await checkAtBothSizes(page, 'console-grants-sessions');
  await Promise.all([page.waitForURL(/done=session-ended$/), page.click('button:has-text("End")')]);
  expect(await page.textContent('p.notice')).toContain('Session ended');
  expect(await page.locator('button:has-text("End")').count()).toBe(0);
  expect((await other.get('/account')).text).toContain('action="/login"');
  await checkAtBothSizes(page, 'console-grants-session-ended');
});
