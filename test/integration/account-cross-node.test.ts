import { Browser, readForm, type PageResult } from '../helpers/oauth1';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { eventually } from '../helpers/redis';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// /account on one node of a deployment (PostgreSQL and Redis shared), its effect on another: node B
// holds the token in its verified-credential cache, so only the revocation log it follows can tell
// it; B's browser session lives in the shared cache, so "sign out of other sessions" reaches it at once.

jest.setTimeout(90_000);

// Long enough for a loaded machine (the log is read about once a second, at once when woken).
const NOTICED_WITHIN_MS = 8_000;
const password = 'a-long-password-1';

let a: TestGateway;
let b: TestGateway;
let upstream: TestUpstream;
let secret: string;
let users = 0;

beforeAll(async () => {
  upstream = await startUpstream('api');
  const config = { routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth2'] }] };
  a = await startTestGateway({ database: 'postgres', cache: 'redis', config });
  b = await startTestGateway({ sharing: a, config });
  secret = (await a.fixtures.client({ id: 'notes', name: 'Notes App', grants: 'password', scopes: 'read' })).secret!;
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  await upstream?.close();
});

async function newUser(): Promise<string> {
  const username = `cross${++users}`;
  await a.fixtures.user(username, password);
  return username;
}

async function signedIn(gw: TestGateway, username: string): Promise<{ browser: Browser; page: PageResult }> {
  const browser = new Browser(gw.url);
  const login = await browser.get('/account');
  const answer = await browser.submit(login, { username, password });
  expect(answer.status).toBe(303);
  return { browser, page: await browser.get('/account') };
}

function formFor(page: PageResult, action: string): Record<string, string> {
  const forms = [...page.text.matchAll(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/gi)].map((m) => readForm(m[0]));
  return forms.find((f) => f.action === action)!.fields;
}

test('an application revoked on node A is refused at node B, which had its token cached', async () => {
  const username = await newUser();
  const f = form({ grant_type: 'password', username, password });
  const token = (await a.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('notes', secret) } })).json.access_token as string;
  const atB = async () => (await fetch(`${b.url}/api/x`, { headers: { authorization: `Bearer ${token}` } })).status;
  expect(await atB()).toBe(200);
  expect(await atB()).toBe(200); // now served from B's memory

  const { browser, page } = await signedIn(a, username);
  expect((await browser.post('/account/revoke', formFor(page, '/account/revoke'))).status).toBe(303);
  expect(await eventually(atB, (s) => s === 401, NOTICED_WITHIN_MS)).toBe(401);
});

test('"sign out of other sessions" on node A ends the session the user has on node B', async () => {
  const username = await newUser();
  const onB = await signedIn(b, username);
  const onA = await signedIn(a, username);
  expect((await onA.browser.post('/account/sessions/end-others', formFor(onA.page, '/account/sessions/end-others'))).status).toBe(303);
  expect(readForm((await onB.browser.get('/account')).text).action).toBe('/login');
  expect((await onA.browser.get('/account')).text).toContain('Your account');
});
