import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, authorizePath, decide, isLoginPage, openAuthorization, queryOf, readForm, throughLogin } from '../helpers/browser';

// OpenID Connect's max_age, login_hint and unknown prompt values at /oauth2/authorize over real
// HTTP, with the gateway's manual clock standing in for the time since the user signed in.

let gw: TestGateway;
const callback = 'https://app.example/cb';

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: [callback], scopes: 'openid,read' });
});

afterAll(async () => {
  await gw?.close();
});

const web = (extra: Record<string, string> = {}) => ({ client_id: 'web', response_type: 'code', redirect_uri: callback, scope: 'read', state: 'st', ...extra });

/** The value of the login page's (visible) username field, unescaped. */
function usernameField(html: string): string | null {
  const input = /<input\b[^>]*\bid="username"[^>]*>/.exec(html);
  const value = input && /\bvalue="([^"]*)"/.exec(input[0]);
  if (!value) return null;
  return value[1].replace(/&#(x?[0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(n[0] === 'x' ? parseInt(n.slice(1), 16) : Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

let users = 0;
/** A browser where a new user signed in and allowed `web` to read (so later requests need no page). */
async function signedInBrowser() {
  const user = { username: `hint-user-${++users}`, password: `password-${users}-long` };
  await gw.fixtures.user(user.username, user.password);
  const browser = new Browser(gw.url);
  const answer = await decide(browser, await openAuthorization(browser, web(), user), 'approve');
  expect(answer.status).toBe(303);
  return { browser, user };
}

describe('max_age', () => {
  test('a sign-in younger than max_age is enough: a code at once', async () => {
    const { browser } = await signedInBrowser();
    gw.clock.advance(30_000);
    const res = await browser.get(authorizePath(web({ max_age: '60' })));
    expect(res.status).toBe(302);
    expect(queryOf(res.location).get('code')).toEqual(expect.any(String));
  });

  test('a sign-in older than max_age shows the login page, and signing in again continues to the client', async () => {
    const { browser, user } = await signedInBrowser();
    gw.clock.advance(61_000);
    const page = await browser.get(authorizePath(web({ max_age: '60' })));
    expect(isLoginPage(page)).toBe(true);
    const after = await throughLogin(browser, page, user);
    expect(after.status).toBe(302);
    expect(queryOf(after.location).get('code')).toEqual(expect.any(String));
  });

  test('max_age=0 always asks for the password again, and the old sign-in does not pass for a new one', async () => {
    const { browser } = await signedInBrowser();
    const page = await browser.get(authorizePath(web({ max_age: '0' })));
    expect(isLoginPage(page)).toBe(true);
    expect(isLoginPage(await browser.get(readForm(page.text).fields.continue))).toBe(true);
  });

  test('prompt=none with a sign-in older than max_age is login_required at the client', async () => {
    const { browser } = await signedInBrowser();
    gw.clock.advance(120_000);
    const res = await browser.get(authorizePath(web({ prompt: 'none', max_age: '60' })));
    expect(res.status).toBe(302);
    const q = queryOf(res.location);
    expect([q.get('error'), q.get('state'), q.has('code')]).toEqual(['login_required', 'st', false]);
  });

  test('prompt=none within max_age gives a code without any page', async () => {
    const { browser } = await signedInBrowser();
    const res = await browser.get(authorizePath(web({ prompt: 'none', max_age: '3600' })));
    expect(queryOf(res.location).get('code')).toEqual(expect.any(String));
  });

  test('a max_age that is not a whole number is invalid_request at the client', async () => {
    const res = await new Browser(gw.url).get(authorizePath(web({ max_age: 'soon' })));
    expect(res.status).toBe(302);
    expect(queryOf(res.location).get('error')).toBe('invalid_request');
  });
});

describe('prompt values', () => {
  test.each(['select_account', 'login create'])('an unknown value (%s) is invalid_request at the client, with state', async (prompt) => {
    const res = await new Browser(gw.url).get(authorizePath(web({ prompt })));
    expect(res.status).toBe(302);
    const q = queryOf(res.location);
    expect([q.get('error'), q.get('state')]).toEqual(['invalid_request', 'st']);
  });
});

describe('login_hint', () => {
  test('pre-fills the username on the login page', async () => {
    const page = await new Browser(gw.url).get(authorizePath(web({ login_hint: 'alice@example.com' })));
    expect(isLoginPage(page)).toBe(true);
    expect(usernameField(page.text)).toBe('alice@example.com');
  });

  test('is escaped like any other text on the page', async () => {
    const page = await new Browser(gw.url).get(authorizePath(web({ login_hint: '"><script>alert(1)</script>' })));
    expect(page.text).not.toContain('<script>alert(1)');
    expect(usernameField(page.text)).toBe('"><script>alert(1)</script>');
  });

  test('is only a hint: the user may sign in as someone else', async () => {
    const user = { username: 'someone-else', password: 'someone-else-password' };
    await gw.fixtures.user(user.username, user.password);
    const browser = new Browser(gw.url);
    const page = await browser.get(authorizePath(web({ login_hint: 'alice' })));
    const consent = await throughLogin(browser, page, user);
    expect(consent.text).toContain('someone-else');
  });
});
