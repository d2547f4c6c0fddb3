import { Browser, readForm, type PageResult } from '../helpers/oauth1';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { MAX_INDEXED_SESSIONS } from '../../src/pages';

// A user's browser sessions on the console's grants page, from the per-user index in the shared
// cache: listed, ended one at a time with an audited "End" button (the browser is signed out at its
// next page), freed at sign-out, bounded; the same with the memory cache and with Redis, where a
// session opened on one node is ended from the console of another.

jest.setTimeout(60_000);

const password = 'a-long-password-1';
let n = 0;

const unique = (prefix: string) => `${prefix}${++n}${Math.random().toString(36).slice(2, 7)}`;

async function signIn(gw: TestGateway, username: string, path = '/account'): Promise<Browser> {
  const browser = new Browser(gw.url);
  const login = await browser.get(path);
  expect((await browser.submit(login, { username, password })).status).toBe(303);
  return browser;
}

const isSignedIn = async (browser: Browser) => readForm((await browser.get('/account')).text).action !== '/login';

/** The "End" forms of the grants page: their hidden fields. */
function endForms(page: PageResult): Array<Record<string, string>> {
  return [...page.text.matchAll(/<form\b[^>]*action="\/console\/sessions\/end"[^>]*>[\s\S]*?<\/form>/g)].map((m) => readForm(m[0].replace('<form ', '<form method="post" ')).fields);
}

/** The sessions table's rows (its "Signed in" cells). */
const listedSessions = (page: PageResult) => [...(/<table class="stack"><caption>Browser sessions of[\s\S]*?<\/table>/.exec(page.text)?.[0] ?? '').matchAll(/<tr><th scope="row">/g)].length;

async function gatewayWithOperators(options: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const gw = await startTestGateway(options);
  if (!(await gw.deps.store.profiles.findByName('operators'))) {
    await gw.fixtures.profile('operators', ['admin']);
    await gw.fixtures.profile('auditors', ['admin_read']);
  }
  return gw;
}

async function newUser(gw: TestGateway, profile?: string): Promise<string> {
  const username = unique('u');
  const p = profile ? await gw.deps.store.profiles.findByName(profile) : null;
  await gw.fixtures.user(username, password, { profile: p ?? undefined });
  return username;
}

describe.each(['memory', 'redis'] as const)('with the %s cache', (cache) => {
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    a = await gatewayWithOperators({ cache });
    // With Redis, a second node of the same deployment: the console runs there.
    b = cache === 'redis' ? await startTestGateway({ cache, sharing: a }) : a;
  });

  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  test('a user\u2019s sessions are listed; End signs that browser out on every node, the other stays; audited', async () => {
    const user = await newUser(a);
    const first = await signIn(a, user);
    const second = await signIn(a, user);
    const admin = await newUser(a, 'operators');
    const console = await signIn(b, admin, '/console');
    const page = await console.get(`/console/grants?user=${user}`);
    expect(page.status).toBe(200);
    expect(listedSessions(page)).toBe(2);
    const forms = endForms(page);
    expect(forms).toHaveLength(2);
    const ended = await console.post('/console/sessions/end', forms[0]);
    expect(ended.status).toBe(303);
    expect(ended.location).toBe(`/console/grants?user=${user}&done=session-ended`);
    const after = await console.get(ended.location!);
    expect(after.text).toContain('Session ended');
    expect(listedSessions(after)).toBe(1);
    // Exactly one of the two browsers is signed out (both signed in at the same instant of the test clock).
    expect([await isSignedIn(first), await isSignedIn(second)].sort()).toEqual([false, true]);
    const [entry] = await a.deps.store.auditLog.page({ target: user, limit: 5 });
    expect([entry.operation, entry.targetKind, entry.actor, entry.outcome]).toEqual(['endUserSession', 'session', admin, 'success']);
    // Ending it again: the session is gone, a refusal (and a refused entry).
    expect((await console.post('/console/sessions/end', forms[0])).status).toBe(400);
    expect((await a.deps.store.auditLog.page({ target: user, limit: 1 }))[0].outcome).toBe('refused');
  });

  test('signing out frees the slot; "sign out of other sessions" leaves only the one that asked', async () => {
    const user = await newUser(a);
    const admin = await newUser(a, 'operators');
    const console = await signIn(b, admin, '/console');
    const leaving = await signIn(a, user);
    const logout = await leaving.get('/logout');
    await leaving.submit(logout);
    expect(listedSessions(await console.get(`/console/grants?user=${user}`))).toBe(0);
    expect((await console.get(`/console/grants?user=${user}`)).text).toContain('No browser session of');

    await signIn(a, user);
    const here = new Browser(a.url);
    const login = await here.get('/account');
    await here.submit(login, { username: user, password });
    const account = await here.get('/account');
    const form = [...account.text.matchAll(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/g)].map((m) => readForm(m[0])).find((f) => f.action === '/account/sessions/end-others')!;
    expect((await here.post(form.action, form.fields)).status).toBe(303);
    expect(listedSessions(await console.get(`/console/grants?user=${user}`))).toBe(1);
  });

  test(`bounded: at most ${MAX_INDEXED_SESSIONS} are listed, a sign-in beyond still works, and the page says more may be open`, async () => {
    const user = await newUser(a);
    const browsers: Browser[] = [];
    for (let i = 0; i <= MAX_INDEXED_SESSIONS; i++) browsers.push(await signIn(a, user));
    expect(await isSignedIn(browsers[MAX_INDEXED_SESSIONS])).toBe(true);
    const admin = await newUser(a, 'operators');
    const page = await (await signIn(b, admin, '/console')).get(`/console/grants?user=${user}`);
    expect(listedSessions(page)).toBe(MAX_INDEXED_SESSIONS);
    expect(page.text).toContain('more may be open');
  });
});

describe('refusals', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await gatewayWithOperators();
  });
  afterAll(async () => {
    await gw?.close();
  });

  test('admin_read sees the sessions without End buttons, and a POST is refused with 403', async () => {
    const user = await newUser(gw);
    const holder = await signIn(gw, user);
    const auditor = await signIn(gw, await newUser(gw, 'auditors'), '/console');
    const page = await auditor.get(`/console/grants?user=${user}`);
    expect(listedSessions(page)).toBe(1);
    expect(endForms(page)).toEqual([]);
    const ownToken = /name="csrf_token" value="([^"]+)"/.exec((await auditor.get('/account')).text)![1];
    const ref = 'A'.repeat(16);
    expect((await auditor.post('/console/sessions/end', { csrf_token: ownToken, user, session: ref })).status).toBe(403);
    expect(await isSignedIn(holder)).toBe(true);
  });

  test('without the session CSRF token: 403 and the session stays', async () => {
    const user = await newUser(gw);
    const holder = await signIn(gw, user);
    const admin = await signIn(gw, await newUser(gw, 'operators'), '/console');
    const [fields] = endForms(await admin.get(`/console/grants?user=${user}`));
    expect((await admin.post('/console/sessions/end', { ...fields, csrf_token: 'A'.repeat(43) })).status).toBe(403);
    expect((await new Browser(gw.url).post('/console/sessions/end', fields)).status).toBe(403);
    expect(await isSignedIn(holder)).toBe(true);
  });
});
