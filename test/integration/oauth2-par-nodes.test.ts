import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, authorizePath, isLoginPage, queryOf } from '../helpers/browser';

// Two gateway nodes sharing a database and the real Redis: a request pushed to one is taken at the
// other, once (the single use holds across nodes).

let a: TestGateway;
let b: TestGateway;
let secret: string;

beforeAll(async () => {
  a = await startTestGateway({ cache: 'redis' });
  b = await startTestGateway({ cache: 'redis', sharing: a });
  secret = (await a.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: ['https://app.example/cb'], scopes: 'read' })).secret!;
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

test('pushed to one node, taken at the other, refused at the first afterwards', async () => {
  const f = form({ response_type: 'code', scope: 'read', state: 'nodes' });
  const pushed = await a.request('/oauth2/par', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('web', secret) } });
  expect(pushed.status).toBe(201);
  const link = authorizePath({ client_id: 'web', request_uri: pushed.json.request_uri });
  expect(isLoginPage(await new Browser(b.url).get(link))).toBe(true);
  const again = await new Browser(a.url).get(link);
  expect(queryOf(again.location).get('error')).toBe('invalid_request_uri');
});
