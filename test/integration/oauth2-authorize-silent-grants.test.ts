import { rememberConsent } from '../../src/oauth2/consent';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, authorizePath, decide, fragmentOf, isConsentPage, isLoginPage, openAuthorization, pkcePair, queryOf, throughLogin } from '../helpers/browser';

// Issue 11, item 19: a public client (no secret) can be impersonated by anyone who knows its
// client_id and redirect URI, and an implicit answer hands the token to whatever runs at the
// redirect URI. So neither ever gets a code or a token without the user on the consent page:
// remembered consent does not skip it, and prompt=none answers consent_required (signed in) or
// login_required (signed out). Confidential clients asking for a code keep the silent path.

let gw: TestGateway;
const webCallback = 'https://app.example/cb';
const spaCallback = 'https://spa.example/cb';
const mixedCallback = 'https://mixed.example/cb';

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: [webCallback], scopes: 'read' });
  await gw.fixtures.client({ id: 'spa', name: 'Single Page', grants: 'authorization_code', public: true, implicit: true, redirectUris: [spaCallback], scopes: 'read' });
  await gw.fixtures.client({ id: 'mixed', name: 'Confidential With Implicit', grants: 'authorization_code', implicit: true, redirectUris: [mixedCallback], scopes: 'read' });
});

afterAll(async () => {
  await gw?.close();
});

let users = 0;

/** A browser where a fresh user has signed in, and has (by an earlier visit) allowed the client `read`. */
async function signedInWithConsent(clientId: string) {
  const user = { username: `silent-${++users}`, password: `password-${users}-long` };
  const created = await gw.fixtures.user(user.username, user.password);
  await rememberConsent(gw.deps.store.consents, created.id, clientId, ['read'], gw.clock());
  const browser = new Browser(gw.url);
  const signedIn = await throughLogin(browser, await browser.get('/login'), user);
  expect(signedIn.status).toBe(200);
  return { browser, user };
}

const spaCode = (extra: Record<string, string> = {}) => ({ client_id: 'spa', response_type: 'code', scope: 'read', state: 'p1', code_challenge: pkcePair().challenge, code_challenge_method: 'S256', ...extra });
const spaToken = (extra: Record<string, string> = {}) => ({ client_id: 'spa', response_type: 'token', scope: 'read', state: 'p2', ...extra });
const mixedToken = (extra: Record<string, string> = {}) => ({ client_id: 'mixed', response_type: 'token', scope: 'read', state: 'p3', ...extra });
const webCode = (extra: Record<string, string> = {}) => ({ client_id: 'web', response_type: 'code', scope: 'read', state: 'p4', ...extra });

describe('remembered consent does not skip the consent page', () => {
  test('for a public client asking for a code', async () => {
    const { browser } = await signedInWithConsent('spa');
    expect(isConsentPage(await browser.get(authorizePath(spaCode())))).toBe(true);
  });

  test('for a public client asking for a token (implicit)', async () => {
    const { browser } = await signedInWithConsent('spa');
    expect(isConsentPage(await browser.get(authorizePath(spaToken())))).toBe(true);
  });

  test('for a confidential client asking for a token (implicit)', async () => {
    const { browser } = await signedInWithConsent('mixed');
    expect(isConsentPage(await browser.get(authorizePath(mixedToken())))).toBe(true);
  });

  test('but does for a confidential client asking for a code', async () => {
    const { browser } = await signedInWithConsent('web');
    const res = await browser.get(authorizePath(webCode()));
    expect(res.status).toBe(302);
    expect(queryOf(res.location).get('code')).toEqual(expect.any(String));
  });
});

describe('prompt=none', () => {
  test.each([
    ['a public client asking for a code', 'spa', spaCode, 'query'],
    ['a public client asking for a token', 'spa', spaToken, 'fragment'],
    ['a confidential client asking for a token', 'mixed', mixedToken, 'fragment'],
  ] as const)('is consent_required for %s, even with consent remembered', async (_label, clientId, request, mode) => {
    const { browser } = await signedInWithConsent(clientId);
    const res = await browser.get(authorizePath(request({ prompt: 'none' })));
    expect(res.status).toBe(302);
    const answer = mode === 'query' ? queryOf(res.location) : fragmentOf(res.location);
    expect([answer.get('error'), answer.has('code'), answer.has('access_token')]).toEqual(['consent_required', false, false]);
    expect(answer.get('state')).toEqual(expect.stringMatching(/^p\d$/));
  });

  test('is login_required for a public client when signed out', async () => {
    const res = await new Browser(gw.url).get(authorizePath(spaCode({ prompt: 'none' })));
    expect(queryOf(res.location).get('error')).toBe('login_required');
  });

  test('still gives a confidential client its code when consent is remembered', async () => {
    const { browser } = await signedInWithConsent('web');
    const res = await browser.get(authorizePath(webCode({ prompt: 'none' })));
    expect(queryOf(res.location).get('code')).toEqual(expect.any(String));
  });
});

test('a public client gets its code once the user allows it on the page, every time', async () => {
  const user = { username: `silent-${++users}`, password: `password-${users}-long` };
  await gw.fixtures.user(user.username, user.password);
  const browser = new Browser(gw.url);
  for (let round = 0; round < 2; round++) {
    const page = round === 0 ? await openAuthorization(browser, spaCode(), user) : await browser.get(authorizePath(spaCode()));
    expect(isLoginPage(page)).toBe(false);
    const answer = await decide(browser, page, 'approve');
    expect(queryOf(answer.location).get('code')).toEqual(expect.any(String));
  }
});
