import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { Browser, authorizePath, decide, fragmentOf, isConsentPage, isLoginPage, openAuthorization, queryOf, readForm, throughLogin } from '../helpers/browser';

// The user's part of /oauth2/authorize over real HTTP: consent (asked, remembered, denied),
// prompt=login/consent/none, the implicit grant, and the form rules (CSRF, 303 after POST).

let gw: TestGateway;
const alice = { username: 'alice', password: 'alice-password-1' };
const webCallback = 'https://app.example/cb';
const spaCallback = 'https://spa.example/cb';

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.user(alice.username, alice.password);
  await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code,refresh_token', redirectUris: [webCallback], scopes: 'read,write' });
  await gw.fixtures.client({ id: 'spa', name: 'Single Page', grants: 'authorization_code,refresh_token', public: true, implicit: true, redirectUris: [spaCallback], scopes: 'read' });
});

afterAll(async () => {
  await gw?.close();
});

const web = (extra: Record<string, string> = {}) => ({ client_id: 'web', response_type: 'code', redirect_uri: webCallback, state: 'abc', ...extra });

let users = 0;
/** A user who has allowed nothing yet (consent is remembered per user, so tests don't share one). */
async function newUser() {
  const user = { username: `user-${++users}`, password: `password-${users}-long` };
  await gw.fixtures.user(user.username, user.password);
  return user;
}

/** A browser where a new user has signed in and allowed `web` the given scopes. */
async function consentedBrowser(scope = 'read'): Promise<Browser> {
  return (await consented(scope)).browser;
}

async function consented(scope: string) {
  const browser = new Browser(gw.url);
  const user = await newUser();
  const answer = await decide(browser, await openAuthorization(browser, web({ scope }), user), 'approve');
  expect(answer.status).toBe(303);
  return { browser, user };
}

describe('consent', () => {
  test('approving sends a 303 to the client with a code', async () => {
    const browser = new Browser(gw.url);
    const answer = await decide(browser, await openAuthorization(browser, web({ scope: 'read' }), await newUser()), 'approve');
    expect(answer.status).toBe(303);
    expect(answer.location?.startsWith(webCallback + '?')).toBe(true);
    expect(queryOf(answer.location).get('code')).toEqual(expect.any(String));
  });

  test('denying sends access_denied with state and iss to the client', async () => {
    const browser = new Browser(gw.url);
    const answer = await decide(browser, await openAuthorization(browser, web({ scope: 'write' }), await newUser()), 'deny');
    expect(answer.status).toBe(303);
    const q = queryOf(answer.location);
    expect([q.get('error'), q.get('state'), q.get('iss'), q.has('code')]).toEqual(['access_denied', 'abc', gw.url, false]);
  });

  test('a remembered consent skips the consent page', async () => {
    const browser = await consentedBrowser('read');
    const again = await browser.get(authorizePath(web({ scope: 'read' })));
    expect(again.status).toBe(302);
    expect(queryOf(again.location).get('code')).toEqual(expect.any(String));
  });

  test('asking for fewer scopes than remembered skips the page too', async () => {
    const browser = await consentedBrowser('read write');
    expect((await browser.get(authorizePath(web({ scope: 'write' })))).status).toBe(302);
  });

  test('asking for a scope not yet allowed shows the consent page again', async () => {
    const browser = await consentedBrowser('read');
    const page = await browser.get(authorizePath(web({ scope: 'read write' })));
    expect(isConsentPage(page)).toBe(true);
  });

  test('prompt=consent shows the consent page even when remembered', async () => {
    const browser = await consentedBrowser('read');
    const page = await browser.get(authorizePath(web({ scope: 'read', prompt: 'consent' })));
    expect(isConsentPage(page)).toBe(true);
  });

  test('the consent page lets its form end at the client (CSP form-action)', async () => {
    const browser = new Browser(gw.url);
    const page = await openAuthorization(browser, web({ prompt: 'consent' }), alice);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' https://app.example");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  test('a decision without the CSRF token is refused with 403', async () => {
    const browser = new Browser(gw.url);
    const page = await openAuthorization(browser, web({ prompt: 'consent' }), alice);
    const { fields } = readForm(page.text);
    const res = await browser.post('/oauth2/authorize/decision', { flow: fields.flow, decision: 'approve' });
    expect([res.status, res.location]).toEqual([403, null]);
  });

  test('a decision for an unknown request is a 400 page, not a redirect', async () => {
    const browser = new Browser(gw.url);
    const page = await openAuthorization(browser, web({ prompt: 'consent' }), alice);
    const res = await browser.submit(page, { decision: 'approve', flow: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect([res.status, res.location]).toEqual([400, null]);
  });

  test('a request is decided once: sending the form again is a 400 page', async () => {
    const browser = new Browser(gw.url);
    const page = await openAuthorization(browser, web({ prompt: 'consent' }), alice);
    expect((await browser.submit(page, { decision: 'approve' })).status).toBe(303);
    expect((await browser.submit(page, { decision: 'approve' })).status).toBe(400);
  });
});

describe('prompt', () => {
  test('prompt=login shows the login page to a signed-in user', async () => {
    const browser = await consentedBrowser('read');
    const page = await browser.get(authorizePath(web({ scope: 'read', prompt: 'login' })));
    expect(isLoginPage(page)).toBe(true);
  });

  test('after signing in again prompt=login continues to the client', async () => {
    const { browser, user } = await consented('read');
    const page = await browser.get(authorizePath(web({ scope: 'read', prompt: 'login' })));
    const after = await throughLogin(browser, page, user);
    expect(after.status).toBe(302);
    expect(queryOf(after.location).get('code')).toEqual(expect.any(String));
  });

  test('prompt=login does not sign the user out: leaving its login page keeps the session', async () => {
    const browser = await consentedBrowser('read');
    expect(isLoginPage(await browser.get(authorizePath(web({ scope: 'read', prompt: 'login' }))))).toBe(true);
    const again = await browser.get(authorizePath(web({ scope: 'read' })));
    expect(again.status).toBe(302);
    expect(queryOf(again.location).get('code')).toEqual(expect.any(String));
  });

  test('prompt=login is not satisfied by the sign-in the browser already had', async () => {
    const browser = await consentedBrowser('read');
    const login = await browser.get(authorizePath(web({ scope: 'read', prompt: 'login' })));
    // Skipping the password and going straight back into the flow shows the login page again.
    expect(isLoginPage(await browser.get(readForm(login.text).fields.continue))).toBe(true);
  });

  test('prompt=none for a signed-out browser is login_required at the client', async () => {
    const res = await new Browser(gw.url).get(authorizePath(web({ prompt: 'none' })));
    expect(res.status).toBe(302);
    const q = queryOf(res.location);
    expect([q.get('error'), q.get('state'), q.get('iss')]).toEqual(['login_required', 'abc', gw.url]);
  });

  test('prompt=none without remembered consent is consent_required', async () => {
    const browser = await consentedBrowser('read');
    const res = await browser.get(authorizePath(web({ scope: 'read write', prompt: 'none' })));
    expect(queryOf(res.location).get('error')).toBe('consent_required');
  });

  test('prompt=none with remembered consent gives a code without any page', async () => {
    const browser = await consentedBrowser('read');
    const res = await browser.get(authorizePath(web({ scope: 'read', prompt: 'none' })));
    expect(res.status).toBe(302);
    expect(queryOf(res.location).get('code')).toEqual(expect.any(String));
  });
});

describe('the way through the login page', () => {
  test('two authorizations started signed out in two tabs each come back with their own request', async () => {
    const browser = new Browser(gw.url);
    const user = await newUser();
    const tabA = await browser.get(authorizePath(web({ state: 'tab-a', prompt: 'consent' })));
    const tabB = await browser.get(authorizePath(web({ state: 'tab-b', prompt: 'consent' })));
    const answerB = await decide(browser, await throughLogin(browser, tabB, user), 'approve');
    expect(queryOf(answerB.location).get('state')).toBe('tab-b');
    // Tab A's login page still works after the sign-in in tab B.
    const answerA = await decide(browser, await throughLogin(browser, tabA, user), 'approve');
    expect(queryOf(answerA.location).get('state')).toBe('tab-a');
  });

  test('two consent pages open at once are decided independently', async () => {
    const browser = new Browser(gw.url);
    const first = await openAuthorization(browser, web({ state: 'one', prompt: 'consent' }), await newUser());
    const second = await browser.get(authorizePath(web({ state: 'two', prompt: 'consent' })));
    expect(queryOf((await decide(browser, second, 'deny')).location).get('state')).toBe('two');
    expect(queryOf((await decide(browser, first, 'approve')).location).get('state')).toBe('one');
  });

  test('a tampered way back from the login page is a 400 page, not a redirect', async () => {
    const browser = new Browser(gw.url);
    const login = await browser.get(authorizePath(web({ state: 'orig' })));
    const back = new URL(readForm(login.text).fields.continue, gw.url);
    const [body, mac] = (back.searchParams.get('ticket') as string).split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    payload.data.request.redirectUri = 'https://evil.example/cb';
    back.searchParams.set('ticket', `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`);
    const res = await browser.get(back.pathname + back.search);
    expect([res.status, res.location]).toEqual([400, null]);
    expect(res.text).toContain('This request has expired');
  });

  test('the way back expires with the login page (30 minutes)', async () => {
    const browser = new Browser(gw.url);
    const login = await browser.get(authorizePath(web()));
    gw.clock.advance(30 * 60 * 1000 + 1);
    const res = await throughLogin(browser, login, await newUser());
    expect([res.status, res.location]).toEqual([400, null]);
  });

  test('a client disabled while the user signs in gets nothing', async () => {
    await gw.fixtures.client({ id: 'fleeting', name: 'Fleeting', grants: 'authorization_code', redirectUris: [webCallback] });
    const browser = new Browser(gw.url);
    const login = await browser.get(authorizePath({ client_id: 'fleeting', response_type: 'code', state: 'f' }));
    await gw.deps.store.clients.setEnabled('fleeting', false);
    const res = await throughLogin(browser, login, await newUser());
    expect([res.status, res.location]).toEqual([400, null]);
  });
});

describe('implicit', () => {
  const spa = { client_id: 'spa', response_type: 'token', state: 'imp' };

  async function implicitAnswer() {
    const browser = new Browser(gw.url);
    let page = await openAuthorization(browser, spa, alice);
    if (isConsentPage(page)) page = await decide(browser, page, 'approve');
    expect([302, 303]).toContain(page.status);
    return page.location as string;
  }

  test('the access token comes in the fragment with token_type, expires_in, scope, state and iss', async () => {
    const location = await implicitAnswer();
    expect(location.startsWith(spaCallback + '#')).toBe(true);
    const f = fragmentOf(location);
    gw.remember(f.get('access_token'));
    expect(Object.fromEntries([...f].map(([k]) => [k, k === 'access_token' ? 'set' : f.get(k)]))).toEqual({
      access_token: 'set',
      token_type: 'Bearer',
      expires_in: '28800',
      scope: 'read',
      state: 'imp',
      iss: gw.url,
    });
  });

  test('never a refresh token, even for a client that gets them from the token endpoint', async () => {
    const location = await implicitAnswer();
    gw.remember(fragmentOf(location).get('access_token'));
    expect(fragmentOf(location).has('refresh_token')).toBe(false);
    expect(new URL(location).search).toBe('');
  });

  test('the fragment token works as a bearer token', async () => {
    const accessToken = fragmentOf(await implicitAnswer()).get('access_token') as string;
    gw.remember(accessToken);
    const res = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.json).toMatchObject({ username: 'alice', clientId: 'spa' });
  });
});

test('no token or password reaches the logs', async () => {
  const logs = logWindow(gw);
  // A code flow through sign-in and consent, then an implicit one whose token is used.
  const codeBrowser = new Browser(gw.url);
  const code = await decide(codeBrowser, await openAuthorization(codeBrowser, web({ scope: 'read' }), await newUser()), 'approve');
  gw.remember(queryOf(code.location).get('code'));
  const implicitBrowser = new Browser(gw.url);
  const page = await openAuthorization(implicitBrowser, { client_id: 'spa', response_type: 'token', state: 'log' }, await newUser());
  const answer = await decide(implicitBrowser, page, 'approve');
  const accessToken = fragmentOf(answer.location).get('access_token') as string;
  gw.remember(accessToken);
  expect((await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
  expect(logs.text()).toContain('/oauth2/authorize');
  expect(logs.leakedSecrets()).toEqual([]);
});
