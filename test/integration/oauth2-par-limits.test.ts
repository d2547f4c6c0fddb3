import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { pkcePair } from '../helpers/browser';
import { PUBLIC_PUSHES_PER_ADDRESS } from '../../src/oauth2/endpoints/par';

// A public client's id is no secret, so pushes in its name are counted per address: past the limit
// 429 with Retry-After, and nothing more is kept. A confidential client's pushes are not counted.

let gw: TestGateway;
let secret: string;

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.client({ id: 'spa', name: 'Single Page', grants: 'authorization_code', public: true, redirectUris: ['https://spa.example/cb'], scopes: 'read' });
  secret = (await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: ['https://app.example/cb'], scopes: 'read' })).secret!;
});

afterAll(async () => {
  await gw?.close();
});

const request = () => ({ response_type: 'code', scope: 'read', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });

test('a public client gets 429 with Retry-After past the pushes allowed per address, then again after the window', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < PUBLIC_PUSHES_PER_ADDRESS; i++) {
    statuses.push((await gw.request('/oauth2/par', { method: 'POST', ...form({ client_id: 'spa', ...request() }) })).status);
  }
  expect(new Set(statuses)).toEqual(new Set([201]));
  const refused = await gw.request('/oauth2/par', { method: 'POST', ...form({ client_id: 'spa', ...request() }) });
  expect([refused.status, refused.json.error]).toEqual([429, 'invalid_request']);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  gw.clock.advance(61_000);
  expect((await gw.request('/oauth2/par', { method: 'POST', ...form({ client_id: 'spa', ...request() }) })).status).toBe(201);
});

test('a confidential client is not counted', async () => {
  for (let i = 0; i <= PUBLIC_PUSHES_PER_ADDRESS; i++) {
    const f = form(request());
    const res = await gw.request('/oauth2/par', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('web', secret) } });
    expect(res.status).toBe(201);
  }
});
