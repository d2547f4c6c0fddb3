import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { Browser, decide, isConsentPage, openAuthorization, pkcePair, queryOf } from '../helpers/browser';

// The authorization code grant end to end over real HTTP: authorize (sign-in, consent) -> code ->
// POST /oauth2/token, and every refusal RFC 6749 section 4.1.3, RFC 7636 and RFC 9700 ask for.

let gw: TestGateway;
let webSecret: string;
let otherSecret: string;
const alice = { username: 'alice', password: 'alice-password-1' };
const webCallback = 'https://app.example/cb';
const spaCallback = 'https://spa.example/cb';

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.user(alice.username, alice.password);
  webSecret = (await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code,refresh_token', redirectUris: [webCallback, 'https://app.example/two'], scopes: 'read,write' })).secret!;
  otherSecret = (await gw.fixtures.client({ id: 'other', name: 'Other App', grants: 'authorization_code', redirectUris: [webCallback] })).secret!;
  await gw.fixtures.client({ id: 'spa', name: 'Single Page', grants: 'authorization_code', public: true, redirectUris: [spaCallback], scopes: 'read' });
  await gw.fixtures.client({ id: 'short', name: 'Short Codes', grants: 'authorization_code', public: true, redirectUris: [spaCallback], codeTtl: '60' });
});

afterAll(async () => {
  await gw?.close();
});

/** Runs the browser part (sign-in, consent if asked) and returns the redirect's query. */
async function authorize(params: Record<string, string>): Promise<URLSearchParams> {
  const browser = new Browser(gw.url);
  let page = await openAuthorization(browser, params, alice);
  if (isConsentPage(page)) page = await decide(browser, page, 'approve');
  if (page.status !== 302 && page.status !== 303) throw new Error(`authorize ended with ${page.status}`);
  const query = queryOf(page.location);
  gw.remember(query.get('code'));
  return query;
}

const webParams = { client_id: 'web', response_type: 'code', redirect_uri: webCallback, state: 'st&ate 1' };

async function webCode(): Promise<string> {
  return (await authorize(webParams)).get('code') as string;
}

async function spaCode(): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const q = await authorize({ client_id: 'spa', response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' });
  return { code: q.get('code') as string, verifier };
}

function token(values: Record<string, string>, headers: Record<string, string> = {}) {
  const f = form(values);
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, ...headers } });
}

const webToken = (values: Record<string, string>) => token({ grant_type: 'authorization_code', ...values }, { authorization: basicAuth('web', webSecret) });

const whoami = (accessToken: string) => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${accessToken}` } });

test('the redirect carries the code, the state unchanged and iss', async () => {
  const q = await authorize(webParams);
  expect(q.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(q.get('state')).toBe('st&ate 1');
  expect(q.get('iss')).toBe(gw.url);
});

test('a confidential client exchanges its code for an access and a refresh token', async () => {
  const res = await webToken({ code: await webCode(), redirect_uri: webCallback });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 28800, refresh_token: expect.any(String), scope: 'read write' });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect((await whoami(res.json.access_token)).json).toMatchObject({ username: 'alice', clientId: 'web', scopes: ['read', 'write'] });
});

test('a public client exchanges its code with the PKCE verifier', async () => {
  const { code, verifier } = await spaCode();
  const res = await token({ grant_type: 'authorization_code', client_id: 'spa', code, code_verifier: verifier });
  expect(res.status).toBe(200);
  expect(res.json.refresh_token).toBeUndefined();
  expect(res.json.scope).toBe('read');
});

test('a wrong PKCE verifier is invalid_grant', async () => {
  const { code } = await spaCode();
  const res = await token({ grant_type: 'authorization_code', client_id: 'spa', code, code_verifier: pkcePair().verifier });
  expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
});

test('a missing PKCE verifier is invalid_grant', async () => {
  const { code } = await spaCode();
  const res = await token({ grant_type: 'authorization_code', client_id: 'spa', code });
  expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
});

test('a verifier for a code issued without a challenge is invalid_grant (PKCE downgrade)', async () => {
  const res = await webToken({ code: await webCode(), redirect_uri: webCallback, code_verifier: pkcePair().verifier });
  expect(res.json.error).toBe('invalid_grant');
});

test('a redirect_uri other than the one sent to authorize is invalid_grant', async () => {
  const res = await webToken({ code: await webCode(), redirect_uri: 'https://app.example/two' });
  expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
});

test('leaving out the redirect_uri sent to authorize is invalid_grant', async () => {
  const res = await webToken({ code: await webCode() });
  expect(res.json.error).toBe('invalid_grant');
});

test('when authorize named no redirect_uri the token request may leave it out', async () => {
  const { code, verifier } = await spaCode();
  expect((await token({ grant_type: 'authorization_code', client_id: 'spa', code, code_verifier: verifier })).status).toBe(200);
});

test('a code is bound to its client', async () => {
  const code = await webCode();
  const res = await token({ grant_type: 'authorization_code', code, redirect_uri: webCallback }, { authorization: basicAuth('other', otherSecret) });
  expect(res.json.error).toBe('invalid_grant');
  expect((await webToken({ code, redirect_uri: webCallback })).status).toBe(200);
});

test('an unknown code is invalid_grant', async () => {
  expect((await webToken({ code: 'not-a-code', redirect_uri: webCallback })).json.error).toBe('invalid_grant');
});

test('a missing code is invalid_request', async () => {
  expect((await webToken({ redirect_uri: webCallback })).json.error).toBe('invalid_request');
});

test('a code expires after the configured lifetime (manual clock)', async () => {
  const code = await webCode();
  gw.clock.advance(601_000);
  expect((await webToken({ code, redirect_uri: webCallback })).json.error).toBe('invalid_grant');
});

test('a code is still good just before it expires', async () => {
  const code = await webCode();
  gw.clock.advance(599_000);
  expect((await webToken({ code, redirect_uri: webCallback })).status).toBe(200);
});

test('a client with a shorter code lifetime gets codes that expire sooner', async () => {
  const { verifier, challenge } = pkcePair();
  const q = await authorize({ client_id: 'short', response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' });
  gw.clock.advance(61_000);
  const res = await token({ grant_type: 'authorization_code', client_id: 'short', code: q.get('code') as string, code_verifier: verifier });
  expect(res.json.error).toBe('invalid_grant');
});

describe('single use', () => {
  test('a second redemption is invalid_grant', async () => {
    const code = await webCode();
    expect((await webToken({ code, redirect_uri: webCallback })).status).toBe(200);
    const again = await webToken({ code, redirect_uri: webCallback });
    expect([again.status, again.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('a second redemption revokes the access token issued from the code', async () => {
    const code = await webCode();
    const first = await webToken({ code, redirect_uri: webCallback });
    expect((await whoami(first.json.access_token)).status).toBe(200);
    await webToken({ code, redirect_uri: webCallback });
    expect((await whoami(first.json.access_token)).status).toBe(401);
  });

  test('a second redemption revokes the refresh token and what was refreshed since', async () => {
    const code = await webCode();
    const first = await webToken({ code, redirect_uri: webCallback });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, { authorization: basicAuth('web', webSecret) });
    expect(refreshed.status).toBe(200);
    await webToken({ code, redirect_uri: webCallback });
    expect((await whoami(refreshed.json.access_token)).status).toBe(401);
    const refreshAgain = await token({ grant_type: 'refresh_token', refresh_token: refreshed.json.refresh_token }, { authorization: basicAuth('web', webSecret) });
    expect(refreshAgain.json.error).toBe('invalid_grant');
  });

  test('ten concurrent redemptions of one code give exactly one success', async () => {
    const code = await webCode();
    const results = await Promise.all(Array.from({ length: 10 }, () => webToken({ code, redirect_uri: webCallback })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400, 400, 400, 400, 400, 400]);
    expect(results.filter((r) => r.status === 400).every((r) => r.json.error === 'invalid_grant')).toBe(true);
  });
});

test('no code, token or password reaches the logs', async () => {
  const logs = logWindow(gw);
  const code = await webCode();
  const issued = await webToken({ code, redirect_uri: webCallback });
  expect(issued.status).toBe(200);
  expect((await whoami(issued.json.access_token)).status).toBe(200);
  expect((await webToken({ code, redirect_uri: webCallback })).status).toBe(400);
  const spa = await spaCode();
  gw.remember(spa.verifier);
  expect((await token({ grant_type: 'authorization_code', client_id: 'spa', code: spa.code, code_verifier: spa.verifier })).status).toBe(200);
  expect(logs.text()).toContain('/oauth2/token');
  expect(logs.leakedSecrets()).toEqual([]);
});
