import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, authorizePath, decide, openAuthorization, queryOf } from '../helpers/browser';

// OpenID Connect Core section 3.1.2.1 id_token_hint at /oauth2/authorize, over real HTTP: the ID
// token comes from the gateway's own code flow, and a silent request (prompt=none) gets a code only
// while the user the hint names is the one signed in.

let gw: TestGateway;
let secret: string;
const callback = 'https://app.example/cb';

beforeAll(async () => {
  gw = await startTestGateway();
  secret = (await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: [callback], scopes: 'openid,read' })).secret!;
});

afterAll(async () => {
  await gw?.close();
});

const web = (extra: Record<string, string> = {}) => ({ client_id: 'web', response_type: 'code', redirect_uri: callback, scope: 'openid read', state: 'st', ...extra });

let users = 0;
/** A browser where a new user signed in and allowed `web`, and the ID token that sign-in gave the client. */
async function signedIn(): Promise<{ browser: Browser; idToken: string }> {
  const user = { username: `hinted-${++users}`, password: `password-${users}-long` };
  await gw.fixtures.user(user.username, user.password);
  const browser = new Browser(gw.url);
  const answer = await decide(browser, await openAuthorization(browser, web(), user), 'approve');
  const code = queryOf(answer.location).get('code')!;
  const f = form({ grant_type: 'authorization_code', code, redirect_uri: callback });
  const tokens = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('web', secret) } });
  expect(tokens.status).toBe(200);
  gw.remember(tokens.json.access_token, tokens.json.refresh_token);
  return { browser, idToken: tokens.json.id_token as string };
}

async function silently(browser: Browser, hint: string): Promise<URLSearchParams> {
  const res = await browser.get(authorizePath(web({ prompt: 'none', id_token_hint: hint })));
  expect(res.status).toBe(302);
  return queryOf(res.location);
}

test("prompt=none with the signed-in user's own ID token as the hint: a code, no page", async () => {
  const { browser, idToken } = await signedIn();
  expect((await silently(browser, idToken)).get('code')).toEqual(expect.any(String));
});

test('prompt=none with the ID token of another user than the one signed in: login_required, no code', async () => {
  const first = await signedIn();
  const second = await signedIn();
  expect(decodeJwt(first.idToken).sub).not.toBe(decodeJwt(second.idToken).sub);
  const q = await silently(second.browser, first.idToken);
  expect([q.get('error'), q.get('state'), q.has('code')]).toEqual(['login_required', 'st', false]);
});

test('an expired ID token of ours is still a good hint', async () => {
  const { browser, idToken } = await signedIn();
  // Past the ID token's hour (lifetimes.idToken), within the browser's sign-in.
  gw.clock.advance(3600_000 + 60_000);
  expect(decodeJwt(idToken).exp! * 1000).toBeLessThan(gw.clock());
  expect((await silently(browser, idToken)).get('code')).toEqual(expect.any(String));
});

test('a hint that is not an ID token of ours is invalid_request: garbage, and a token signed with another key', async () => {
  const { browser, idToken } = await signedIn();
  const claims = decodeJwt(idToken);
  const { privateKey } = await generateKeyPair('RS256');
  const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'not-ours' }).sign(privateKey);
  for (const hint of ['not-a-jwt', forged]) {
    const q = await silently(browser, hint);
    expect([q.get('error'), q.has('code')]).toEqual(['invalid_request', false]);
  }
});
