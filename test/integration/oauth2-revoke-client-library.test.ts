import { ResourceOwnerPassword } from 'simple-oauth2';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';

// /oauth2/revoke against someone else's reading of RFC 7009: the simple-oauth2 library revokes the
// access token and then the refresh token, and reads each answer as JSON. An empty text/plain
// answer made its first call throw, so the refresh token was never revoked and stayed usable.

let gw: TestGateway;
let secret: string;

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.user('rita', 'rita-password-1');
  secret = (await gw.fixtures.client({ id: 'lib-app', name: 'Library App', grants: 'password,refresh_token', scopes: 'read' })).secret!;
});

afterAll(async () => {
  await gw?.close();
});

function library(): ResourceOwnerPassword {
  return new ResourceOwnerPassword({
    client: { id: 'lib-app', secret },
    auth: { tokenHost: gw.url, tokenPath: '/oauth2/token', revokePath: '/oauth2/revoke' },
    options: { authorizationMethod: 'header' },
  });
}

test('the revocation answer is 200 with an empty JSON object', async () => {
  const res = await gw.request('/oauth2/revoke', { method: 'POST', ...withAuth({ token: 'never-issued' }) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
  expect(res.json).toEqual({});
  expect(res.headers.get('cache-control')).toBe('no-store');
});

test("simple-oauth2's revokeAll() succeeds and the refresh token no longer works", async () => {
  const token = await library().getToken({ username: 'rita', password: 'rita-password-1', scope: 'read' });
  const refreshToken = token.token.refresh_token as string;
  const accessToken = token.token.access_token as string;
  gw.remember(refreshToken, accessToken);
  expect(refreshToken).toEqual(expect.any(String));

  await expect(token.revokeAll()).resolves.toBeUndefined();

  const refreshed = await gw.request('/oauth2/token', { method: 'POST', ...withAuth({ grant_type: 'refresh_token', refresh_token: refreshToken }) });
  expect([refreshed.status, refreshed.json.error]).toEqual([400, 'invalid_grant']);
  const whoami = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${accessToken}` } });
  expect(whoami.status).toBe(401);
});

function withAuth(values: Record<string, string>) {
  const f = form(values);
  return { body: f.body, headers: { ...f.headers, authorization: basicAuth('lib-app', secret) } };
}
