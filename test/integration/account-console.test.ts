import { Browser, readForm, type PageResult } from '../helpers/oauth1';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { startUpstream, type TestUpstream } from '../helpers/upstream';
import { addConsumer } from '../../src/accounts/admin';

// /account and /console over HTTP with a cookie-keeping user agent: who may see what, who may
// change what, CSRF, and that a revoke made on either page is refused at the proxy on the next request.

jest.setTimeout(60_000);

let gw: TestGateway;
let upstream: TestUpstream;
let appSecret: string;
let users = 0;

const password = 'a-long-password-1';

beforeAll(async () => {
  upstream = await startUpstream('api');
  gw = await startTestGateway({ config: { routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth2'] }] } });
  await gw.fixtures.profile('operators', ['admin']);
  await gw.fixtures.profile('auditors', ['admin_read']);
  await gw.fixtures.profile('staff', ['read_things']);
  gw.remember((await addConsumer(gw.deps, { name: 'Legacy Phone', xauth: true })).secret);
  appSecret = (await gw.fixtures.client({ id: 'notes', name: 'Notes App', grants: 'password,refresh_token', scopes: 'read,write' })).secret!;
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

async function newUser(profile?: string): Promise<{ username: string; id: string }> {
  const username = `user${++users}`;
  const p = profile ? await gw.deps.store.profiles.findByName(profile) : null;
  const row = await gw.fixtures.user(username, password, { profile: p ?? undefined });
  return { username, id: row.id };
}

async function signedIn(username: string, path: string): Promise<{ browser: Browser; page: PageResult }> {
  const browser = new Browser(gw.url);
  const login = await browser.get(path);
  expect(readForm(login.text).action).toBe('/login');
  const answer = await browser.submit(login, { username, password });
  expect(answer.status).toBe(303);
  expect(answer.location).toBe(path);
  return { browser, page: await browser.get(path) };
}

async function passwordToken(username: string, scope = 'read'): Promise<string> {
  const f = form({ grant_type: 'password', username, password, scope });
  const res = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('notes', appSecret) } });
  expect(res.status).toBe(200);
  return res.json.access_token;
}

const atProxy = async (token: string) => (await fetch(`${gw.url}/api/things`, { headers: { authorization: `Bearer ${token}` } })).status;

/** The POST form on the page whose action is `action` (the page has several). */
function formFor(page: PageResult, action: string): Record<string, string> {
  const forms = [...page.text.matchAll(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/gi)].map((m) => readForm(m[0]));
  const found = forms.find((f) => f.action === action);
  if (!found) throw new Error(`no form posting to ${action}`);
  return found.fields;
}

describe('/account', () => {
  test('asks for sign-in, then lists the applications the user allowed with scopes and since', async () => {
    const user = await newUser();
    await passwordToken(user.username, 'read write');
    const { page } = await signedIn(user.username, '/account');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.text).toContain('Notes App');
    expect(page.text).toMatch(/<code>read<\/code> <code>write<\/code>/);
    expect(page.text).toContain('2030-01-01 00:00 UTC');
    // Use is not recorded; the newest token's issue time stands in, labelled as such.
    expect(page.text).toMatch(/not recorded;<\/span> 2030-01-01 00:00 UTC <span class="muted">\(token issued\)/);
  });

  test('revoking an application refuses its token at the proxy on the very next request', async () => {
    const user = await newUser();
    const token = await passwordToken(user.username);
    expect(await atProxy(token)).toBe(200);
    const { browser, page } = await signedIn(user.username, '/account');
    const answer = await browser.post('/account/revoke', formFor(page, '/account/revoke'));
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/account?done=revoked');
    expect(await atProxy(token)).toBe(401);
    const after = await browser.get('/account?done=revoked');
    expect(after.text).toContain('Access revoked');
    expect(after.text).not.toContain('Notes App');
  });

  test('a revoke without the session CSRF token is refused and changes nothing', async () => {
    const user = await newUser();
    const token = await passwordToken(user.username);
    const { browser, page } = await signedIn(user.username, '/account');
    const fields = formFor(page, '/account/revoke');
    const forged = await browser.post('/account/revoke', { ...fields, csrf_token: 'x'.repeat(43) });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('This form has expired');
    const { csrf_token: _dropped, ...withoutToken } = fields;
    expect((await browser.post('/account/revoke', withoutToken)).status).toBe(403);
    // A stranger (no session) with the right fields is refused too.
    expect((await new Browser(gw.url).post('/account/revoke', fields)).status).toBe(403);
    expect(await atProxy(token)).toBe(200);
  });

  test('signing out of other sessions ends them and keeps this one', async () => {
    const user = await newUser();
    const other = await signedIn(user.username, '/account');
    const here = await signedIn(user.username, '/account');
    const answer = await here.browser.post('/account/sessions/end-others', formFor(here.page, '/account/sessions/end-others'));
    expect(answer.status).toBe(303);
    expect((await here.browser.get(answer.location!)).text).toContain('Your other sessions are signed out');
    const elsewhere = await other.browser.get('/account');
    expect(readForm(elsewhere.text).action).toBe('/login');
  });

  test('changing the password needs the current one; the new one then signs in, the old one not', async () => {
    const user = await newUser();
    const { browser, page } = await signedIn(user.username, '/account');
    const fields = formFor(page, '/account/password');
    const wrong = await browser.post('/account/password', { ...fields, current_password: 'not-the-password', new_password: 'brand-new-pass-1', confirm_password: 'brand-new-pass-1' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('The current password is wrong.');
    const mismatch = await browser.post('/account/password', { ...fields, current_password: password, new_password: 'brand-new-pass-1', confirm_password: 'brand-new-pass-2' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The two new passwords differ.');
    const short = await browser.post('/account/password', { ...fields, current_password: password, new_password: 'short', confirm_password: 'short' });
    expect(short.status).toBe(400);

    gw.remember('brand-new-pass-1');
    const done = await browser.post('/account/password', { ...fields, current_password: password, new_password: 'brand-new-pass-1', confirm_password: 'brand-new-pass-1' });
    expect(done.status).toBe(303);
    // This browser stays signed in.
    expect((await browser.get('/account?done=password-changed')).text).toContain('Password changed');
    const f = (pw: string) => form({ grant_type: 'password', username: user.username, password: pw });
    const old = await gw.request('/oauth2/token', { method: 'POST', body: f(password).body, headers: { ...f(password).headers, authorization: basicAuth('notes', appSecret) } });
    expect(old.status).toBe(400);
    const fresh = await gw.request('/oauth2/token', { method: 'POST', body: f('brand-new-pass-1').body, headers: { ...f('brand-new-pass-1').headers, authorization: basicAuth('notes', appSecret) } });
    expect(fresh.status).toBe(200);
    expect(gw.leakedSecrets()).toEqual([]);
  });

  test('a method the page does not take is 405 with Allow', async () => {
    const res = await fetch(`${gw.url}/account`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('/console', () => {
  test('anonymous: the login page, nothing of the console', async () => {
    const page = await new Browser(gw.url).get('/console/users');
    expect(page.status).toBe(200);
    expect(readForm(page.text).action).toBe('/login');
    expect(page.text).not.toContain('operators');
  });

  test('a user whose profile holds neither admin nor admin_read is refused with 403', async () => {
    for (const profile of [undefined, 'staff']) {
      const user = await newUser(profile);
      const browser = new Browser(gw.url);
      const login = await browser.get('/console');
      await browser.submit(login, { username: user.username, password });
      for (const path of ['/console', '/console/clients', '/console/grants', '/console/routes']) {
        const page = await browser.get(path);
        expect([path, page.status]).toEqual([path, 403]);
        expect(page.text).toContain('Operators only');
      }
    }
  });

  test('admin sees every page: dashboard charts, clients, consumers, users and profiles, routes', async () => {
    const admin = await newUser('operators');
    await passwordToken(admin.username); // a token issued, so that chart has a bar whatever ran before
    const { browser, page } = await signedIn(admin.username, '/console');
    expect(page.text).toContain('<svg');
    expect(page.text).toMatch(/aria-label="Tokens issued by protocol and grant: oauth2 password: \d+"/);
    expect(page.text).toContain('Proxied responses by status class');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const clients = await browser.get('/console/clients');
    expect(clients.text).toContain('Notes App');
    expect(clients.text).toContain('<dt>Refresh token lifetime</dt>');
    const consumers = await browser.get('/console/consumers');
    expect(consumers.text).toContain('Legacy Phone');
    expect(consumers.text).toMatch(/<dt>Trusted for xAuth<\/dt><dd>yes<\/dd>/);
    // What it may really use: the gateway's list without RSA-SHA1, as it registered no key.
    expect(consumers.text).toContain('<code>HMAC-SHA1</code>');
    expect(consumers.text).not.toContain('RSA-SHA1');
    const usersPage = await browser.get('/console/users');
    expect(usersPage.text).toContain(admin.username);
    expect(usersPage.text).toContain('auditors');
    const routes = await browser.get('/console/routes');
    expect(routes.text).toContain(upstream.url);
    const css = await browser.get('/assets/console.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  test('admin revokes a user\u2019s grants of one client: the token is refused at the proxy at once', async () => {
    const admin = await newUser('operators');
    const holder = await newUser();
    const token = await passwordToken(holder.username);
    expect(await atProxy(token)).toBe(200);
    const { browser } = await signedIn(admin.username, '/console');
    const grants = await browser.get(`/console/grants?user=${holder.username}`);
    expect(grants.text).toContain('Notes App');
    const fields = formFor(grants, '/console/grants/revoke');
    expect(fields).toMatchObject({ user: holder.username, client: 'notes' });
    const answer = await browser.post('/console/grants/revoke', fields);
    expect(answer.status).toBe(303);
    expect(await atProxy(token)).toBe(401);
    expect((await browser.get(answer.location!)).text).toContain('This user holds no live grant.');
  });

  test('admin without the CSRF token: 403 and nothing revoked', async () => {
    const admin = await newUser('operators');
    const holder = await newUser();
    const token = await passwordToken(holder.username);
    const { browser } = await signedIn(admin.username, '/console');
    const fields = formFor(await browser.get(`/console/grants?user=${holder.username}`), '/console/grants/revoke');
    const forged = await browser.post('/console/grants/revoke', { ...fields, csrf_token: 'A'.repeat(43) });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('This form has expired');
    expect(await atProxy(token)).toBe(200);
  });

  test('admin_read sees the grants without revoke buttons and cannot POST a revoke', async () => {
    const auditor = await newUser('auditors');
    const admin = await newUser('operators');
    const holder = await newUser();
    const token = await passwordToken(holder.username);
    const { browser } = await signedIn(auditor.username, '/console');
    const grants = await browser.get(`/console/grants?user=${holder.username}`);
    expect(grants.status).toBe(200);
    expect(grants.text).toContain('Notes App');
    expect(grants.text).toContain('Read-only access');
    expect(grants.text).not.toContain('/console/grants/revoke');
    // The auditor's own valid session token, with the fields an admin's page would post.
    const adminFields = formFor(await (await signedIn(admin.username, '/console')).browser.get(`/console/grants?user=${holder.username}`), '/console/grants/revoke');
    const ownToken = formFor(await browser.get('/account'), '/account/sessions/end-others').csrf_token;
    const refused = await browser.post('/console/grants/revoke', { ...adminFields, csrf_token: ownToken });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Read-only access');
    expect(await atProxy(token)).toBe(200);
  });

  test('a revoke form naming nothing, or a user that does not exist, is a 400 page', async () => {
    const admin = await newUser('operators');
    const { browser } = await signedIn(admin.username, '/console');
    const csrf = formFor(await browser.get('/account'), '/account/sessions/end-others').csrf_token;
    expect((await browser.post('/console/grants/revoke', { csrf_token: csrf, user: 'nobody-here', all: 'yes' })).status).toBe(400);
    expect((await browser.post('/console/grants/revoke', { csrf_token: csrf, user: admin.username })).status).toBe(400);
    expect((await browser.post('/console/grants/revoke', { csrf_token: csrf, user: admin.username, client: 'notes', all: 'yes' })).status).toBe(400);
  });
});
