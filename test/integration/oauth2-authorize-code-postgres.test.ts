import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, decide, isConsentPage, openAuthorization, queryOf } from '../helpers/browser';

// Single use of an authorization code on PostgreSQL, where concurrent redemptions really run in
// parallel (SQLite queues its transactions): the conditional UPDATE must still let only one win.

let gw: TestGateway;
let secret: string;
const alice = { username: 'alice', password: 'alice-password-1' };
const callback = 'https://app.example/cb';

beforeAll(async () => {
  gw = await startTestGateway({ database: 'postgres' });
  await gw.fixtures.user(alice.username, alice.password);
  secret = (await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code,refresh_token', redirectUris: [callback], scopes: 'read' })).secret!;
});

afterAll(async () => {
  await gw?.close();
});

async function code(): Promise<string> {
  const browser = new Browser(gw.url);
  let page = await openAuthorization(browser, { client_id: 'web', response_type: 'code', redirect_uri: callback }, alice);
  if (isConsentPage(page)) page = await decide(browser, page, 'approve');
  const value = queryOf(page.location).get('code') as string;
  gw.remember(value);
  return value;
}

function redeem(value: string) {
  const f = form({ grant_type: 'authorization_code', code: value, redirect_uri: callback });
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('web', secret) } });
}

test('ten concurrent redemptions of one code give exactly one success', async () => {
  const value = await code();
  const results = await Promise.all(Array.from({ length: 10 }, () => redeem(value)));
  expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  expect(results.filter((r) => r.status === 400 && r.json.error === 'invalid_grant')).toHaveLength(9);
});

test('a replayed code revokes the token the first redemption got', async () => {
  const value = await code();
  const first = await redeem(value);
  expect(first.status).toBe(200);
  expect((await redeem(value)).json.error).toBe('invalid_grant');
  const who = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${first.json.access_token}` } });
  expect(who.status).toBe(401);
});
