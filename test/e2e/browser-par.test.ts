import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { launchChromium, pkcePair, signInWithChromium, startCallbackServer, type CallbackServer, type Chromium } from '../helpers/browser';

// A pushed authorization request (RFC 9126) and the OpenID Connect sign-in parameters (login_hint,
// max_age, prompt=none) in Debian's Chromium through playwright-core: the client pushes over HTTP,
// the browser carries only client_id and request_uri; a tiny local web server plays the client.

jest.setTimeout(90_000);

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: TestGateway;
let client: CallbackServer;
let chromium: Chromium;
let secret: string;

beforeAll(async () => {
  client = await startCallbackServer();
  gw = await startTestGateway();
  await gw.fixtures.user(alice.username, alice.password);
  secret = (await gw.fixtures.client({ id: 'books', name: 'Book Club', grants: 'authorization_code', redirectUris: [`${client.origin}/cb`], scopes: 'read', requirePar: true }))
    .secret!;
  await gw.fixtures.client({ id: 'photos', name: 'Photo Printer', grants: 'authorization_code', public: true, redirectUris: [`${client.origin}/photos`], scopes: 'read' });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await client?.close();
  await gw?.close();
});

beforeEach(async () => {
  await chromium.context.clearCookies();
});

async function push(values: Record<string, string>): Promise<string> {
  const f = form(values);
  const res = await gw.request('/oauth2/par', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('books', secret) } });
  expect(res.status).toBe(201);
  return res.json.request_uri;
}

const arrivalsAt = (path: string) => client.arrivals.filter((u) => u.pathname === path);

test('pushed request: the login page starts with the hinted username, allow, the client redeems the code; the same link then fails', async () => {
  const { page } = chromium;
  const { verifier, challenge } = pkcePair();
  const requestUri = await push({ response_type: 'code', scope: 'read', state: 'pushed', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'alice' });
  const link = `${gw.url}/oauth2/authorize?${new URLSearchParams({ client_id: 'books', request_uri: requestUri })}`;
  await page.goto(link);
  expect(await page.textContent('h1')).toBe('Sign in');
  expect(await page.inputValue('#username')).toBe('alice');
  await chromium.screenshot('par-login-hint');

  await page.fill('#password', alice.password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  expect(await page.textContent('h1')).toContain('Book Club');
  await Promise.all([page.waitForURL((url) => url.origin === client.origin), page.click('button[value="approve"]')]);
  const arrived = arrivalsAt('/cb').pop()!;
  expect(arrived.searchParams.get('state')).toBe('pushed');
  const code = arrived.searchParams.get('code')!;
  gw.remember(code);
  const f = form({ grant_type: 'authorization_code', code, code_verifier: verifier });
  const token = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('books', secret) } });
  expect(token.status).toBe(200);

  await Promise.all([page.waitForURL((url) => url.origin === client.origin), page.goto(link)]);
  expect(arrivalsAt('/cb').pop()!.searchParams.get('error')).toBe('invalid_request_uri');
});

test('a client registered with --require-par that skips the push lands back with invalid_request', async () => {
  const { page } = chromium;
  const query = new URLSearchParams({ client_id: 'books', response_type: 'code', scope: 'read', state: 'plain' });
  await Promise.all([page.waitForURL((url) => url.origin === client.origin), page.goto(`${gw.url}/oauth2/authorize?${query}`)]);
  const arrived = arrivalsAt('/cb').pop()!;
  expect([arrived.searchParams.get('error'), arrived.searchParams.get('state')]).toEqual(['invalid_request', 'plain']);
});

test('max_age=0 asks a signed-in person for the password again; prompt=none when signed out is login_required', async () => {
  const { page } = chromium;
  const request = (extra: Record<string, string>) =>
    `${gw.url}/oauth2/authorize?${new URLSearchParams({ client_id: 'photos', response_type: 'code', scope: 'read', code_challenge: pkcePair().challenge, code_challenge_method: 'S256', ...extra })}`;

  await Promise.all([page.waitForURL((url) => url.origin === client.origin), page.goto(request({ prompt: 'none', state: 'silent' }))]);
  expect(arrivalsAt('/photos').pop()!.searchParams.get('error')).toBe('login_required');

  await page.goto(request({ state: 'first' }));
  await signInWithChromium(page, alice);
  expect(await page.textContent('h1')).toContain('Photo Printer');

  await page.goto(request({ state: 'again', max_age: '0' }));
  expect(await page.textContent('h1')).toBe('Sign in');
  await chromium.screenshot('max-age-zero-login');
  await signInWithChromium(page, alice);
  expect(await page.textContent('h1')).toContain('Photo Printer');
});
