import { adminApiOn, type AdminApiGateway } from '../helpers/admin-api';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, readForm } from '../helpers/oauth1';

// A user's browser sessions through the admin API: GET /users/{username}/sessions lists them from
// the per-user index in the shared cache, DELETE /users/{username}/sessions/{id} ends one. With
// Redis the sessions are opened on one node and ended through the admin API of another: the
// browser is signed out on both at its next page.

jest.setTimeout(60_000);

const password = 'a-long-password-1';
let n = 0;

async function signIn(gw: TestGateway, username: string): Promise<Browser> {
  const browser = new Browser(gw.url);
  const login = await browser.get('/account');
  expect((await browser.submit(login, { username, password })).status).toBe(303);
  return browser;
}

const isSignedIn = async (browser: Browser) => readForm((await browser.get('/account')).text).action !== '/login';

describe.each(['memory', 'redis'] as const)('with the %s cache', (cache) => {
  let a: TestGateway;
  let b: TestGateway;
  let admin: AdminApiGateway;

  beforeAll(async () => {
    a = await startTestGateway({ cache });
    // The admin API answers on the second node when there is a shared cache.
    b = cache === 'redis' ? await startTestGateway({ cache, sharing: a }) : a;
    admin = await adminApiOn(b);
  });

  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  async function newUser(): Promise<string> {
    const username = `s${++n}${Math.random().toString(36).slice(2, 7)}`;
    await a.fixtures.user(username, password);
    return username;
  }

  test('lists the sessions newest first; ending one signs that browser out and leaves the other', async () => {
    const username = await newUser();
    const first = await signIn(a, username);
    a.clock.advance(1000);
    b.clock.advance(1000);
    const second = await signIn(a, username);

    const listed = await admin.api('GET', `/users/${username}/sessions`);
    expect(listed.status).toBe(200);
    expect(listed.json.complete).toBe(true);
    expect(listed.json.items).toHaveLength(2);
    const [newest, oldest] = listed.json.items as Array<{ id: string; created_at: string; last_active_at: string }>;
    expect(Date.parse(newest.created_at)).toBeGreaterThan(Date.parse(oldest.created_at));
    // The id is a digest prefix, never the cookie.
    for (const cookie of [...first.cookieValues(), ...second.cookieValues()]) expect(listed.text).not.toContain(cookie);

    const ended = await admin.api('DELETE', `/users/${username}/sessions/${oldest.id}`);
    expect([ended.status, ended.text]).toEqual([204, '']);
    expect(await isSignedIn(first)).toBe(false);
    expect(await isSignedIn(second)).toBe(true);
    expect((await admin.api('GET', `/users/${username}/sessions`)).json.items.map((s: { id: string }) => s.id)).toEqual([newest.id]);

    // Gone already: 404, and the refusal is audited like any other.
    const again = await admin.api('DELETE', `/users/${username}/sessions/${oldest.id}`);
    expect([again.status, again.json.code]).toEqual([404, 'not_found']);
    // The audit entry names the user and the session id (the path), never the cookie.
    const audit = (await admin.api('GET', `/audit?operation=endUserSession&target=${encodeURIComponent(`${username}/${oldest.id}`)}`)).json.items;
    expect(audit.map((e: { outcome: string; source: string }) => [e.outcome, e.source])).toEqual([
      ['refused', 'api'],
      ['success', 'api'],
    ]);
  });

  test('read-only operators may list but not end; bad ids and unknown users are refused', async () => {
    const username = await newUser();
    const browser = await signIn(a, username);
    const [session] = (await admin.api('GET', `/users/${username}/sessions`, { token: admin.tokens.auditor })).json.items;
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const forbidden = await admin.api('DELETE', `/users/${username}/sessions/${session.id}`, { token: admin.tokens.auditor });
    expect(forbidden.status).toBe(403);
    expect(await isSignedIn(browser)).toBe(true);
    expect((await admin.api('DELETE', `/users/${username}/sessions/not-a-session`)).status).toBe(400);
    expect((await admin.api('GET', '/users/nobody-by-that-name/sessions')).status).toBe(404);
    expect((await admin.api('GET', `/users/${await newUser()}/sessions`)).json).toEqual({ items: [], complete: true });
  });
});
