import { launchChromium, type Chromium } from '../helpers/browser';
import { startAdminApiGateway, type AdminApiGateway } from '../helpers/admin-api';

// The API explorer at /api-docs in headless Chromium: Swagger UI from swagger-ui-dist, served by
// the gateway (no third-party request), renders every operation of the OpenAPI document under the
// page's CSP with no violation. A screenshot goes to test-artifacts/screenshots/api-docs.png.

jest.setTimeout(90_000);

let a: AdminApiGateway;
let chromium: Chromium;

beforeAll(async () => {
  a = await startAdminApiGateway();
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await a?.gw.close();
});

test('Swagger UI renders every documented operation from the gateway alone, with no CSP violation', async () => {
  const { page } = chromium;
  const violations: string[] = [];
  const foreign: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(a.gw.url) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  const response = await page.goto(`${a.gw.url}/api-docs`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.waitForSelector('.opblock');
  const documented = Object.values((await a.gw.request('/admin/api/v1/openapi.json')).json.paths as Record<string, object>).reduce<number>((n, methods) => n + Object.keys(methods).length, 0);
  expect(await page.locator('.opblock').count()).toBe(documented);
  await chromium.screenshot('api-docs');
  expect(violations).toEqual([]);
  expect(foreign).toEqual([]);
});
