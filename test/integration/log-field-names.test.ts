import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { Browser, readForm } from '../helpers/oauth1';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// Issue 19 item 2, "one naming style for fields": whatever a request does (a token issued or refused,
// a sign-in failed on the page or the password grant, a lock-out, a proxied exchange or a refused
// one, a page, a 404, /readyz), every field of every log line it writes is camelCase, nested ones too.
// And the login page's own failures name the username and the address, never the password.

let upstream: TestUpstream;
let gw: TestGateway;
let secret: string;

beforeAll(async () => {
  upstream = await startUpstream('fields');
  gw = await startTestGateway({ config: { login: { maxFailures: 2 }, routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth2'] }] } });
  ({ secret } = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'client_credentials,password', scopes: 'read' })) as { secret: string });
  await gw.fixtures.user('nora', 'nora-password-1');
  await gw.fixtures.user('otto', 'otto-password-1');
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

const token = (fields: Record<string, string>, headers: Record<string, string> = {}) => {
  const f = form(fields);
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, ...headers } });
};

/** Every key of a log line and of the objects in it, with the path that leads to it. */
function keysOf(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => [`${path}${key}`, ...keysOf(inner, `${path}${key}.`)]);
}

test('every field of every line is camelCase', async () => {
  const window = logWindow(gw);
  const issued = await token({ grant_type: 'client_credentials', scope: 'read' }, { authorization: basicAuth('app', secret) });
  expect(issued.status).toBe(200);
  await token({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'wrong-secret-1' });
  for (let i = 0; i < 3; i++) await token({ grant_type: 'password', username: 'nora', password: 'wrong-password-1' }, { authorization: basicAuth('app', secret) });
  expect((await gw.request('/api/items', { headers: { authorization: `Bearer ${issued.json.access_token}` } })).status).toBe(200);
  expect((await gw.request('/api/items', { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
  await gw.request('/oauth2/authorize?client_id=app&response_type=code&state=s1&scope=read');
  await gw.request('/no/such/path', { headers: { accept: 'text/html' } });
  await gw.request('/readyz');

  const lines = window
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  // Enough kinds of line that the rule was tested on each: access, proxied, sign-in, token audit lines.
  const messages = new Set(lines.map((l) => l.msg));
  for (const msg of ['request', 'proxied']) expect(messages).toContain(msg);
  expect(lines.some((l) => l.event === 'signInFailed')).toBe(true);
  expect(lines.some((l) => l.event === 'signInLockedOut')).toBe(true);
  const offending = [...new Set(lines.flatMap((l) => keysOf(l)).filter((path) => !/^[a-z][a-zA-Z0-9]*$/.test(path.split('.').pop()!)))];
  expect(offending).toEqual([]);
});

test('a failed sign-in on the login page names the username and the address, never the password', async () => {
  const window = logWindow(gw);
  const browser = new Browser(gw.url);
  const page = await browser.get('/login');
  const f = readForm(page.text);
  const failed = await browser.post(f.action, { ...f.fields, username: 'otto', password: 'otto-typo-password' });
  // The form again, with the error (a re-rendered page, 200).
  expect(failed.text).toContain('Wrong username or password.');
  const lines = window
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.filter((l) => l.event === 'signInFailed')).toEqual([expect.objectContaining({ username: 'otto', clientAddress: '127.0.0.1' })]);
  expect(window.text()).not.toContain('otto-typo-password');
});
