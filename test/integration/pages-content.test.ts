import path from 'node:path';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, authorizePath, throughLogin } from '../helpers/browser';
import { configSchema } from '../../src/config/schema';

// What the pages say over real HTTP: scope descriptions in the browser's language, how long access
// lasts, where the browser goes next and where access is taken back; the configured branding; the
// error page's way back and request id; the HTML 404 for browsers while API clients keep JSON.

let gw: TestGateway;
const alice = { username: 'alice', password: 'alice-password-1' };
const callback = 'https://photos.example:8443/cb';
const logoFile = path.join(__dirname, '..', 'fixtures', 'logo.svg');

beforeAll(async () => {
  gw = await startTestGateway({
    config: {
      scopes: { read: { default: 'Read your photos', en: 'Read your photos', de: 'Ihre Fotos lesen' }, write: 'Upload photos for you' },
      branding: {
        productName: 'Example Photos',
        logoFile,
        accentColour: '#0F5132',
        footerLinks: [{ text: 'Privacy', href: 'https://photos.example/privacy' }, { text: 'Help', href: '/help' }],
        homeUrl: 'https://photos.example/',
      },
    },
  });
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'photos', name: 'Photo App', grants: 'authorization_code,refresh_token', redirectUris: [callback], scopes: 'read,write,openid,email', accessTtl: '3600', refreshTtl: '2592000' });
  await gw.fixtures.client({ id: 'spa', name: 'Single Page', grants: 'authorization_code', public: true, implicit: true, redirectUris: [callback], scopes: 'read' });
});
afterAll(() => gw?.close());

async function consentPage(params: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
  const browser = new Browser(gw.url);
  const page = await throughLogin(browser, await browser.get(authorizePath(params), headers), alice);
  // The login page's 303 leads back through authorize: ask again with the same headers.
  const consent = page.status === 200 ? page : await browser.get(authorizePath(params), headers);
  expect(consent.text).toContain('name="decision" value="approve"');
  return (await browser.get(authorizePath(params), headers)).text;
}

const photos = (scope: string) => ({ client_id: 'photos', response_type: 'code', redirect_uri: callback, scope, state: 's' });

const listed = (page: string) => [...page.matchAll(/<ul class="scopes">([\s\S]*?)<\/ul>/g)].flatMap((m) => [...m[1].matchAll(/<li>(.*?)<\/li>/g)].map((li) => li[1]));

describe('scope descriptions', () => {
  test('configured and built-in descriptions replace the scope names', async () => {
    expect(listed(await consentPage(photos('read write openid email')))).toEqual(['Read your photos', 'Upload photos for you', 'Sign you in with your account', 'Your email address']);
  });

  test('Accept-Language picks the language of a per-language description, by q-value and prefix', async () => {
    expect(listed(await consentPage(photos('read'), { 'accept-language': 'de-AT, en;q=0.5' }))).toEqual(['Ihre Fotos lesen']);
    expect(listed(await consentPage(photos('read'), { 'accept-language': 'en, de;q=0.3' }))).toEqual(['Read your photos']);
  });

  test('a language no description offers, or no language named, gets the default', async () => {
    expect(listed(await consentPage(photos('read'), { 'accept-language': 'fr-FR' }))).toEqual(['Read your photos']);
    expect(listed(await consentPage(photos('read'), { 'accept-language': '*' }))).toEqual(['Read your photos']);
  });
});

describe('the consent page', () => {
  test('says how long access lasts from the client\'s own lifetimes', async () => {
    const page = await consentPage(photos('read'));
    expect(page).toContain('Access lasts 1 hour at a time; Photo App can renew it without asking you until it goes unused for 30 days, or until you take it back.');
  });

  test('names the host the browser is sent to, port included', async () => {
    expect(await consentPage(photos('read'))).toContain('you will be sent to <strong>photos.example:8443</strong>');
  });

  test('says the choice is remembered for a confidential client, and where to take it back', async () => {
    const page = await consentPage(photos('read'));
    expect(page).toContain('Your choice is remembered');
    expect(page).toContain('<a href="/account">your account page</a>');
  });

  test('for a public client nothing is remembered and access lasts one token (implicit)', async () => {
    const page = await consentPage({ client_id: 'spa', response_type: 'token', redirect_uri: callback, scope: 'read', state: 's' });
    expect(page).not.toContain('Your choice is remembered');
    expect(page).toContain('You can take access back at any time on <a href="/account">');
    expect(page).toContain('Access lasts 8 hours at a time; after that Single Page has to ask you again.');
  });
});

describe('branding', () => {
  test('every page carries the product name, the logo, the accent stylesheet and the footer links', async () => {
    const page = await gw.request('/login');
    expect(page.text).toContain('<title>Sign in · Example Photos</title>');
    expect(page.text).toMatch(/<img class="logo" src="\/assets\/logo\?v=[\w-]+" alt="" height="32"><span class="brand">Example Photos<\/span>/);
    expect(page.text).toContain('<a href="https://photos.example/privacy">Privacy</a>');
    expect(page.text).toContain('<a href="/help">Help</a>');

    const logoHref = /src="(\/assets\/logo\?v=[\w-]+)"/.exec(page.text)![1];
    const logo = await gw.request(logoHref);
    expect([logo.status, logo.headers.get('content-type'), logo.headers.get('cache-control')]).toEqual([200, 'image/svg+xml', 'public, max-age=31536000, immutable']);
    expect(logo.headers.get('content-security-policy')).toContain('sandbox');
    expect(logo.text).toContain('<circle');

    const cssHref = /<link rel="stylesheet" href="(\/assets\/brand\.css\?v=[\w-]+)">/.exec(page.text)![1];
    expect((await gw.request(cssHref)).text).toContain('--accent: #0f5132;');
  });

  test('an accent colour that fails 4.5:1 against white, or is no colour, stops the configuration', () => {
    const refused = configSchema.safeParse({ branding: { accentColour: '#f2a900' } });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain('4.5:1');
    expect(configSchema.safeParse({ branding: { accentColour: 'red; background: url(x)' } }).success).toBe(false);
    expect(configSchema.safeParse({ branding: { footerLinks: [{ text: 'x', href: 'javascript:alert(1)' }] } }).success).toBe(false);
  });
});

describe('errors and 404', () => {
  test('a browser asking for HTML gets the 404 page with a way back and the request id', async () => {
    const res = await gw.request('/no/such/page', { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<h1>Page not found</h1>');
    expect(res.text).toContain('<a href="https://photos.example/" data-back>Go back</a>');
    expect(res.text).toContain(`<code class="request-id">${res.headers.get('x-request-id')}</code>`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  test('API clients keep the JSON 404: no Accept, */*, or JSON first', async () => {
    for (const accept of [undefined, '*/*', 'application/json, text/html;q=0.9']) {
      const res = await gw.request('/no/such/page', { headers: accept ? { accept } : {} });
      expect([accept, res.status, res.json]).toEqual([accept, 404, { error: 'not_found', error_description: 'No route matches this path.' }]);
    }
  });

  test('a page error (an unknown client) shows the way back and the request id too', async () => {
    const res = await gw.request(authorizePath({ client_id: 'nobody', response_type: 'code', redirect_uri: callback }), { headers: { 'x-request-id': 'trace-4711' } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-back>Go back</a>');
    expect(res.text).toContain('<code class="request-id">trace-4711</code>');
    expect(res.text).toContain('Example Photos');
  });
});
