import { form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { launchChromium, signInWithChromium, type Chromium } from '../helpers/browser';

// The device flow's human half in a real browser: the device asks for a code over HTTP, a person
// opens /device in Chromium, types the code (in lower case, without the dash), signs in, allows,
// and the device's next poll gets its tokens. Screenshots go to test-artifacts/screenshots/.

jest.setTimeout(90_000);

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const alice = { username: 'alice', password: 'alice-password-1' };
let gw: TestGateway;
let chromium: Chromium;

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'tv', name: 'Living Room TV', grants: 'device_code', public: true, scopes: 'video.watch' });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await gw?.close();
});

// Each test starts signed out: a session left by another test would skip the login page.
beforeEach(async () => {
  await chromium.context.clearCookies();
});

async function deviceAuthorization(): Promise<{ device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string }> {
  const f = form({ client_id: 'tv' });
  const res = await gw.request('/oauth2/device_authorization', { method: 'POST', body: f.body, headers: f.headers });
  expect(res.status).toBe(200);
  gw.remember(res.json.device_code);
  return res.json;
}

function poll(deviceCode: string) {
  const f = form({ grant_type: DEVICE_GRANT, client_id: 'tv', device_code: deviceCode });
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers });
}

test('a person types the code, signs in and allows; the device then gets its tokens', async () => {
  const device = await deviceAuthorization();
  expect((await poll(device.device_code)).json.error).toBe('authorization_pending');

  const { page } = chromium;
  await page.goto(device.verification_uri);
  expect(await page.textContent('h1')).toBe('Connect a device');
  await page.fill('#user_code', device.user_code.replace('-', '').toLowerCase());
  await chromium.screenshot('device-entry');
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);

  expect(await page.textContent('main')).toContain('Living Room TV');
  await chromium.screenshot('device-login');
  await signInWithChromium(page, alice);

  expect(await page.textContent('h1')).toContain('Living Room TV');
  expect(await page.locator('ul.scopes li').allTextContents()).toEqual(['video.watch']);
  await chromium.screenshot('device-consent');
  await Promise.all([page.waitForNavigation(), page.click('button[value="approve"]')]);

  expect(await page.textContent('h1')).toBe('Device connected');
  await chromium.screenshot('device-done');

  gw.clock.advance(5_000);
  const tokens = await poll(device.device_code);
  expect(tokens.status).toBe(200);
  const who = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
  expect(who.json).toMatchObject({ username: 'alice', clientId: 'tv', scopes: ['video.watch'] });
});

test('verification_uri_complete fills the code in, and a wrong code shows an error', async () => {
  const device = await deviceAuthorization();
  const { page } = chromium;
  await page.goto(device.verification_uri_complete);
  expect(await page.inputValue('#user_code')).toBe(device.user_code);

  await page.fill('#user_code', 'BBBB-BBBB');
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  expect(await page.textContent('[role="alert"]')).toContain('not valid');
  await chromium.screenshot('device-wrong-code');
});

test('no device code, token or password reaches the logs', async () => {
  const logs = logWindow(gw);
  const device = await deviceAuthorization();
  expect((await poll(device.device_code)).json.error).toBe('authorization_pending');
  const { page } = chromium;
  await page.goto(device.verification_uri_complete);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  await signInWithChromium(page, alice);
  await Promise.all([page.waitForNavigation(), page.click('button[value="approve"]')]);
  expect(await page.textContent('h1')).toBe('Device connected');
  gw.clock.advance(5_000);
  const tokens = await poll(device.device_code);
  expect(tokens.status).toBe(200);
  expect((await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${tokens.json.access_token}` } })).status).toBe(200);
  expect(logs.text()).toContain('/oauth2/device_authorization');
  expect(logs.leakedSecrets()).toEqual([]);
});
