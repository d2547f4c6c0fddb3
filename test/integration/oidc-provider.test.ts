import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { basicAuth, startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, decide, fragmentOf, isConsentPage, openAuthorization, throughLogin } from '../helpers/browser';
import { rp } from '../helpers/oidc-rp';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The gateway as an OpenID Provider, driven by a real relying party library (openid-client 6, in a
// child process, over HTTP, configured by default OpenID discovery) and checked with jose.

let gw: TestGateway;
let secret: string;
let jwtSecret: string;
let aliceId: string;
const alice = { username: 'alice', password: 'correct horse battery' };
const callback = 'https://rp.example/cb';

beforeAll(async () => {
  gw = await startTestGateway();
  aliceId = (await gw.fixtures.user(alice.username, alice.password)).id;
  await gw.deps.store.users.setProfileFields('alice', { displayName: 'Alice Liddell', email: 'alice@example.com', updatedAt: gw.clock() });
  const grants = 'authorization_code,refresh_token,device_code';
  secret = (
    await gw.fixtures.client({ id: 'rp', name: 'Relying Party', grants, redirectUris: [callback], scopes: 'openid,profile,email,read', postLogoutRedirectUris: ['https://rp.example/bye'] })
  ).secret!;
  jwtSecret = (
    await gw.fixtures.client({ id: 'rs-jwt', name: 'JWT Client', grants, redirectUris: [callback], scopes: 'openid,profile,read', accessTokenFormat: 'jwt' })
  ).secret!;
  await gw.fixtures.client({ id: 'spa', name: 'SPA', grants: 'authorization_code', public: true, implicit: true, redirectUris: [callback], scopes: 'openid,profile' });
});

afterAll(async () => {
  await gw?.close();
});

/** The user's part: sign in, approve; the redirect back to the relying party. */
async function userApproves(url: string, browser = new Browser(gw.url)): Promise<string> {
  let page = throughLogin(browser, await browser.get(url.replace(gw.url, '')), alice);
  let result = await page;
  if (isConsentPage(result)) result = await decide(browser, result, 'approve');
  if (!result.location) throw new Error(`authorization ended with ${result.status}: ${result.text.slice(0, 200)}`);
  return result.location;
}

async function codeFlow(clientId: string, clientSecret: string, scope = 'openid profile email', browser = new Browser(gw.url)) {
  const started = await rp('authorize', { server: gw.url, clientId, clientSecret, redirectUri: callback, scope });
  expect(started.error).toBeUndefined();
  const currentUrl = await userApproves(started.url, browser);
  return { started, currentUrl };
}

async function jwks(): Promise<JSONWebKeySet> {
  return (await gw.request('/oauth2/jwks')).json as JSONWebKeySet;
}

test('OpenID discovery names the userinfo endpoint, the JWKS, the signing algorithms and iss in responses', async () => {
  const res = await gw.request('/.well-known/openid-configuration');
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({
    issuer: gw.url,
    authorization_endpoint: `${gw.url}/oauth2/authorize`,
    token_endpoint: `${gw.url}/oauth2/token`,
    userinfo_endpoint: `${gw.url}/oauth2/userinfo`,
    jwks_uri: `${gw.url}/oauth2/jwks`,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    authorization_response_iss_parameter_supported: true,
  });
  expect(res.json.response_types_supported).toEqual(expect.arrayContaining(['code', 'id_token', 'id_token token']));
  expect(res.json.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
});

test('the RFC 8414 document keeps working and says authorization responses carry iss', async () => {
  const res = await gw.request('/.well-known/oauth-authorization-server');
  expect(res.status).toBe(200);
  expect(res.json.issuer).toBe(gw.url);
  expect(res.json.authorization_response_iss_parameter_supported).toBe(true);
});

test('openid-client: code + PKCE + nonce, a validated ID token, userinfo by scope, and a refreshed ID token with the same sub', async () => {
  const { started, currentUrl } = await codeFlow('rp', secret);
  const done = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl, verifier: started.verifier, nonce: started.nonce, state: started.state });
  expect(done.error).toBeUndefined();
  expect(done.claims).toMatchObject({ iss: gw.url, sub: aliceId, aud: 'rp', azp: 'rp', nonce: started.nonce, name: 'Alice Liddell', email: 'alice@example.com' });
  expect(typeof done.claims.auth_time).toBe('number');
  expect(typeof done.claims.at_hash).toBe('string');
  expect(done.userinfo).toEqual({
    sub: aliceId,
    name: 'Alice Liddell',
    preferred_username: 'alice',
    updated_at: expect.any(Number),
    email: 'alice@example.com',
    email_verified: false,
  });
  gw.remember(done.accessToken, done.refreshToken, done.idToken);

  const refreshed = await rp('refresh', { server: gw.url, clientId: 'rp', clientSecret: secret, refreshToken: done.refreshToken });
  expect(refreshed.error).toBeUndefined();
  expect(refreshed.claims.sub).toBe(aliceId);
  expect(refreshed.claims.nonce).toBeUndefined();
  expect(refreshed.idToken).not.toBe(done.idToken);
  expect(gw.leakedSecrets()).toEqual([]);
});

test('openid-client refuses an ID token whose nonce is not the one it sent', async () => {
  const { started, currentUrl } = await codeFlow('rp', secret);
  const done = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl, verifier: started.verifier, nonce: 'another-nonce', state: started.state });
  expect(done.error?.message).toMatch(/unexpected JWT claim value/);
  expect(done.error?.cause).toMatch(/"nonce" claim/);
});

test('userinfo shares only what the scopes allow: without profile and email, sub alone', async () => {
  const { started, currentUrl } = await codeFlow('rp', secret, 'openid');
  const done = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl, verifier: started.verifier, nonce: started.nonce, state: started.state });
  expect(done.userinfo).toEqual({ sub: aliceId });
  expect(done.claims.email).toBeUndefined();
});

test('userinfo answers POST too, and refuses a token without openid with insufficient_scope', async () => {
  const noBearer = await gw.request('/oauth2/userinfo', { method: 'POST' });
  expect(noBearer.status).toBe(401);
  expect(noBearer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  const { started, currentUrl } = await codeFlow('rp', secret, 'read');
  const code = new URL(currentUrl).searchParams.get('code')!;
  const tokens = await gw.request('/oauth2/token', {
    method: 'POST',
    headers: { authorization: basicAuth('rp', secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: callback, code_verifier: started.verifier }).toString(),
  });
  expect(tokens.status).toBe(200);
  expect(tokens.json.id_token).toBeUndefined();
  const refused = await gw.request('/oauth2/userinfo', { method: 'POST', headers: { authorization: `Bearer ${tokens.json.access_token}` } });
  expect(refused.status).toBe(403);
  expect(refused.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
});

test('a JWT access token (RFC 9068) verifies with jose against the JWKS, works at the gateway, and is refused after revocation', async () => {
  const { started, currentUrl } = await codeFlow('rs-jwt', jwtSecret, 'openid read');
  const done = await rp('callback', { server: gw.url, clientId: 'rs-jwt', clientSecret: jwtSecret, currentUrl, verifier: started.verifier, nonce: started.nonce, state: started.state });
  expect(done.error).toBeUndefined();
  const { payload, protectedHeader } = await jwtVerify(done.accessToken, createLocalJWKSet(await jwks()), { issuer: gw.url, typ: 'at+jwt' });
  expect(protectedHeader.alg).toBe('RS256');
  expect(payload).toMatchObject({ sub: aliceId, client_id: 'rs-jwt', scope: 'openid read', aud: gw.url });
  expect(typeof payload.jti).toBe('string');
  expect((await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${done.accessToken}` } })).status).toBe(200);

  const revoked = await gw.request('/oauth2/revoke', {
    method: 'POST',
    headers: { authorization: basicAuth('rs-jwt', jwtSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: done.accessToken }).toString(),
  });
  expect(revoked.status).toBe(200);
  const after = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${done.accessToken}` } });
  expect(after.status).toBe(401);
  const introspected = await gw.request('/oauth2/introspect', {
    method: 'POST',
    headers: { authorization: basicAuth('rs-jwt', jwtSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: done.accessToken }).toString(),
  });
  expect(introspected.json.active).toBe(false);
});

test('key rotation: the next key was published before it signs, and tokens signed with the old key still verify', async () => {
  const first = await codeFlow('rp', secret);
  const before = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl: first.currentUrl, verifier: first.started.verifier, nonce: first.started.nonce, state: first.started.state });
  const oldKid = decodeProtectedHeader(before.idToken).kid!;
  const published = (await jwks()).keys.map((k) => k.kid);
  const [nextKey] = (await gw.deps.signingKeys.list()).filter((k) => k.alg === 'RS256' && k.state === 'next');
  expect(published).toContain(nextKey.kid);

  await gw.deps.signingKeys.rotate(['RS256'], 3600);

  const second = await codeFlow('rp', secret);
  const after = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl: second.currentUrl, verifier: second.started.verifier, nonce: second.started.nonce, state: second.started.state });
  expect(after.error).toBeUndefined();
  expect(decodeProtectedHeader(after.idToken).kid).toBe(nextKey.kid);
  const set = createLocalJWKSet(await jwks());
  await expect(jwtVerify(before.idToken, set, { issuer: gw.url, audience: 'rp' })).resolves.toBeDefined();
  expect((await jwks()).keys.map((k) => k.kid)).toContain(oldKid);
});

test('device flow with openid: openid-client gets an ID token for the user who approved', async () => {
  const started = await rp('deviceStart', { server: gw.url, clientId: 'rp', clientSecret: secret, scope: 'openid profile' });
  expect(started.error).toBeUndefined();
  const browser = new Browser(gw.url);
  const entered = await browser.submit(await browser.get('/device'), { user_code: started.device.user_code });
  const consent = await throughLogin(browser, await browser.get(entered.location!), alice);
  expect((await decide(browser, consent, 'approve')).status).toBe(303);
  const done = await rp('deviceTokens', { server: gw.url, clientId: 'rp', clientSecret: secret, device: started.device });
  expect(done.error).toBeUndefined();
  expect(done.claims).toMatchObject({ sub: aliceId, aud: 'rp', preferred_username: 'alice' });
});

test('implicit response_type=id_token without a nonce is refused back to the client', async () => {
  const browser = new Browser(gw.url);
  const page = await openAuthorization(browser, { client_id: 'spa', response_type: 'id_token', redirect_uri: callback, scope: 'openid', state: 's' }, alice);
  expect(page.status).toBe(302);
  expect(fragmentOf(page.location).get('error')).toBe('invalid_request');
});

test('implicit response_type="id_token token" returns both, the ID token carrying the nonce and at_hash', async () => {
  const browser = new Browser(gw.url);
  let page = await openAuthorization(browser, { client_id: 'spa', response_type: 'id_token token', redirect_uri: callback, scope: 'openid profile', nonce: 'n-1', state: 's' }, alice);
  if (isConsentPage(page)) page = await decide(browser, page, 'approve');
  const fragment = fragmentOf(page.location);
  const { payload } = await jwtVerify(fragment.get('id_token')!, createLocalJWKSet(await jwks()), { issuer: gw.url, audience: 'spa' });
  expect(payload).toMatchObject({ nonce: 'n-1', sub: aliceId });
  expect(typeof payload.at_hash).toBe('string');
  expect(fragment.get('access_token')).toBeTruthy();
});

test('RP-initiated logout: the id_token_hint ends the hinted user\'s session and the browser returns to the registered URI with state', async () => {
  const browser = new Browser(gw.url);
  const { started, currentUrl } = await codeFlow('rp', secret, 'openid', browser);
  const done = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl, verifier: started.verifier, nonce: started.nonce, state: started.state });
  const discovery = (await gw.request('/.well-known/openid-configuration')).json;
  expect(discovery.end_session_endpoint).toBe(`${gw.url}/oauth2/logout`);

  const unregistered = await browser.get(`/oauth2/logout?${new URLSearchParams({ id_token_hint: done.idToken, post_logout_redirect_uri: 'https://evil.example/' })}`);
  expect(unregistered.status).toBe(400);

  // The session ended nonetheless (the hint was the signed-in user's); what was refused is the return address.
  expect((await browser.get('/logout')).text).toContain('You are signed out');
  await codeFlow('rp', secret, 'openid', browser);
  expect((await browser.get('/logout')).text).not.toContain('You are signed out');
  const out = await browser.get(`/oauth2/logout?${new URLSearchParams({ id_token_hint: done.idToken, post_logout_redirect_uri: 'https://rp.example/bye', state: 'bye-1' })}`);
  expect(out.status).toBe(302);
  expect(out.location).toBe('https://rp.example/bye?state=bye-1');
  const page = await browser.get('/logout');
  expect(page.text).toContain('You are signed out');
});

test('RP-initiated logout refuses a hint this gateway did not sign', async () => {
  const forged = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
  const res = await gw.request(`/oauth2/logout?${new URLSearchParams({ id_token_hint: forged, post_logout_redirect_uri: 'https://rp.example/bye' })}`);
  expect(res.status).toBe(400);
});

/** authlib (Debian's python3-authlib) validating an ID token as its OpenID client does. */
function authlibValidates(args: Record<string, unknown>): { claims?: Record<string, unknown>; error?: string } {
  const out = execFileSync('/usr/bin/python3', [path.join(__dirname, '..', 'helpers', 'authlib-id-token.py'), JSON.stringify(args)], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out.trim());
}

test('authlib validates the ID token signature against the JWKS and its claims (nonce, at_hash); a wrong nonce fails', async () => {
  const { started, currentUrl } = await codeFlow('rp', secret);
  const done = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl, verifier: started.verifier, nonce: started.nonce, state: started.state });
  const common = { idToken: done.idToken, jwks: await jwks(), issuer: gw.url, clientId: 'rp', accessToken: done.accessToken };
  const ok = authlibValidates({ ...common, nonce: started.nonce });
  expect(ok.error).toBeUndefined();
  expect(ok.claims).toMatchObject({ sub: aliceId, nonce: started.nonce });
  expect(authlibValidates({ ...common, nonce: 'not-the-nonce' }).error).toMatch(/nonce/);
});
