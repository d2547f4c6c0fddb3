import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, decide, isConsentPage, throughLogin } from '../helpers/browser';
import { rp } from '../helpers/oidc-rp';

// The OpenID provider on PostgreSQL and Redis, two nodes sharing them: keys made by one node are
// the keys the other publishes and signs with (the signing_keys table, sealed with the shared key).

let gw: TestGateway;
let second: TestGateway;
let secret: string;
const alice = { username: 'alice', password: 'correct horse battery' };
const callback = 'https://rp.example/cb';

beforeAll(async () => {
  gw = await startTestGateway({ database: 'postgres', cache: 'redis' });
  second = await startTestGateway({ sharing: gw });
  await gw.fixtures.user(alice.username, alice.password);
  secret = (
    await gw.fixtures.client({ id: 'rp', name: 'RP', grants: 'authorization_code,refresh_token', redirectUris: [callback], scopes: 'openid,profile', accessTokenFormat: 'jwt', idTokenAlg: 'ES256' })
  ).secret!;
});

afterAll(async () => {
  await second?.close();
  await gw?.close();
});

test('a code flow on one node; the ID token (ES256) and the JWT access token verify against the other node\'s JWKS', async () => {
  const started = await rp('authorize', { server: gw.url, clientId: 'rp', clientSecret: secret, redirectUri: callback, scope: 'openid profile' });
  const browser = new Browser(gw.url);
  let page = await throughLogin(browser, await browser.get(started.url.replace(gw.url, '')), alice);
  if (isConsentPage(page)) page = await decide(browser, page, 'approve');
  const done = await rp('callback', { server: gw.url, clientId: 'rp', clientSecret: secret, currentUrl: page.location, verifier: started.verifier, nonce: started.nonce, state: started.state });
  expect(done.error).toBeUndefined();
  const otherJwks = createLocalJWKSet((await second.request('/oauth2/jwks')).json as JSONWebKeySet);
  const id = await jwtVerify(done.idToken, otherJwks, { issuer: gw.url, audience: 'rp' });
  expect(id.protectedHeader.alg).toBe('ES256');
  const at = await jwtVerify(done.accessToken, otherJwks, { issuer: gw.url, typ: 'at+jwt' });
  expect(at.payload.client_id).toBe('rp');
  expect((await second.request('/oauth2/userinfo', { headers: { authorization: `Bearer ${done.accessToken}` } })).json).toMatchObject({ preferred_username: 'alice' });
});
