import { Browser, readForm, type PageResult } from '../helpers/oauth1';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { startUpstream, type TestUpstream } from '../helpers/upstream';
import { addConsumer } from '../../src/accounts/admin';
import type { AuditEntryRow } from '../../src/storage/types';

// The console's changing operations over HTTP with a cookie-keeping user agent: each button's
// effect is real (at the proxy and at /oauth2/token), CSRF and `admin_read` are refused, the
// rotated secret is shown once and never logged, and every change lands in the audit log that
// /console/audit lists.

jest.setTimeout(60_000);

let gw: TestGateway;
let upstream: TestUpstream;
let n = 0;

const password = 'a-long-password-1';

beforeAll(async () => {
  upstream = await startUpstream('api');
  gw = await startTestGateway({ config: { routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth2'] }] } });
  await gw.fixtures.profile('operators', ['admin']);
  await gw.fixtures.profile('auditors', ['admin_read']);
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

async function newUser(profile?: string): Promise<string> {
  const username = `op${++n}`;
  const p = profile ? await gw.deps.store.profiles.findByName(profile) : null;
  await gw.fixtures.user(username, password, { profile: p ?? undefined });
  return username;
}

async function newClient(): Promise<{ id: string; secret: string }> {
  const id = `app${++n}`;
  const { secret } = await gw.fixtures.client({ id, name: `App ${n}`, grants: 'password', scopes: 'read' });
  return { id, secret: secret! };
}

async function signedIn(username: string, path = '/console'): Promise<Browser> {
  const browser = new Browser(gw.url);
  const login = await browser.get(path);
  expect(readForm(login.text).action).toBe('/login');
  expect((await browser.submit(login, { username, password })).status).toBe(303);
  return browser;
}

async function tokenRequest(clientId: string, clientSecret: string, username: string) {
  const f = form({ grant_type: 'password', username, password, scope: 'read' });
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(clientId, clientSecret) } });
}

async function token(clientId: string, clientSecret: string, username: string): Promise<string> {
  const res = await tokenRequest(clientId, clientSecret, username);
  expect(res.status).toBe(200);
  return res.json.access_token;
}

const atProxy = async (t: string) => (await fetch(`${gw.url}/api/things`, { headers: { authorization: `Bearer ${t}` } })).status;

/** The POST form on the page whose action is `action` and whose `id` field is `id`. */
function formFor(page: PageResult, action: string, id: string): Record<string, string> {
  const forms = [...page.text.matchAll(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/gi)].map((m) => readForm(m[0]));
  const found = forms.find((f) => f.action === action && f.fields.id === id);
  if (!found) throw new Error(`no form posting to ${action} for ${id}`);
  return found.fields;
}

const shownSecret = (page: PageResult) => /<code class="secret">([^<]+)<\/code>/.exec(page.text)?.[1];

async function auditOf(target: string): Promise<AuditEntryRow[]> {
  return gw.deps.store.auditLog.page({ target, limit: 20 });
}

describe('console changes by an admin', () => {
  test('disable a client: its token is refused at the proxy at once; enable it: new tokens work; both audited', async () => {
    const admin = await newUser('operators');
    const holder = await newUser();
    const app = await newClient();
    const t = await token(app.id, app.secret, holder);
    expect(await atProxy(t)).toBe(200);
    const browser = await signedIn(admin);
    const clients = await browser.get('/console/clients');
    const answer = await browser.post('/console/clients/disable', formFor(clients, '/console/clients/disable', app.id));
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/console/clients?done=disabled');
    expect(await atProxy(t)).toBe(401);
    expect((await tokenRequest(app.id, app.secret, holder)).status).toBe(401);
    const after = await browser.get(answer.location!);
    expect(after.text).toContain('Disabled. Its tokens stopped working');
    const enabled = await browser.post('/console/clients/enable', formFor(after, '/console/clients/enable', app.id));
    expect(enabled.status).toBe(303);
    expect(await atProxy(await token(app.id, app.secret, holder))).toBe(200);
    // What disabling took back stays taken back.
    expect(await atProxy(t)).toBe(401);
    const entries = await auditOf(app.id);
    expect(entries.map((e) => [e.operation, e.targetKind, e.actor, e.actorClient, e.outcome])).toEqual([
      ['enableClient', 'client', admin, null, 'success'],
      ['disableClient', 'client', admin, null, 'success'],
    ]);
    expect(entries[0].address).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  });

  test('rotate a client secret: shown once with no-store, the new one works at /oauth2/token, the old one not, never logged', async () => {
    const admin = await newUser('operators');
    const holder = await newUser();
    const app = await newClient();
    const browser = await signedIn(admin);
    const answer = await browser.post('/console/clients/rotate-secret', formFor(await browser.get('/console/clients'), '/console/clients/rotate-secret', app.id));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toContain('no-store');
    const secret = shownSecret(answer);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    gw.remember(secret);
    expect(answer.text).toContain('The old secret stopped working at once');
    expect((await tokenRequest(app.id, app.secret, holder)).status).toBe(401);
    await token(app.id, secret!, holder);
    // Shown once: the clients page does not show it again.
    expect((await browser.get('/console/clients')).text).not.toContain(secret!);
    expect(gw.leakedSecrets()).toEqual([]);
    const [entry] = await auditOf(app.id);
    expect([entry.operation, entry.outcome, entry.actor]).toEqual(['rotateClientSecret', 'success', admin]);
    expect(JSON.stringify(entry)).not.toContain(secret!);
  });

  test('rotate a client secret with a grace period: the old secret keeps working until it ends', async () => {
    const admin = await newUser('operators');
    const holder = await newUser();
    const app = await newClient();
    const browser = await signedIn(admin);
    const fields = formFor(await browser.get('/console/clients'), '/console/clients/rotate-secret', app.id);
    const answer = await browser.post('/console/clients/rotate-secret', { ...fields, grace_seconds: '3600' });
    expect(answer.status).toBe(200);
    const secret = shownSecret(answer)!;
    gw.remember(secret);
    expect(answer.text).toContain('The old secret keeps working until');
    await token(app.id, app.secret, holder);
    await token(app.id, secret, holder);
    const bad = await browser.post('/console/clients/rotate-secret', { ...fields, grace_seconds: 'soon' });
    expect(bad.status).toBe(400);
    const tooLong = await browser.post('/console/clients/rotate-secret', { ...fields, grace_seconds: '99999999' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('grace period');
    expect((await auditOf(app.id))[0].outcome).toBe('refused');
  });

  test('delete a client goes through a confirmation page; its token ends at once', async () => {
    const admin = await newUser('operators');
    const holder = await newUser();
    const app = await newClient();
    const t = await token(app.id, app.secret, holder);
    const browser = await signedIn(admin);
    const clients = await browser.get('/console/clients');
    expect(clients.text).toContain(`action="/console/clients/delete"`);
    // A POST without the confirmation is refused and deletes nothing.
    const { csrf_token } = formFor(clients, '/console/clients/disable', app.id);
    expect((await browser.post('/console/clients/delete', { csrf_token, id: app.id })).status).toBe(400);
    expect(await gw.deps.store.clients.findById(app.id)).not.toBeNull();
    const confirm = await browser.get(`/console/clients/delete?id=${app.id}`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Delete this client?');
    const answer = await browser.post('/console/clients/delete', formFor(confirm, '/console/clients/delete', app.id));
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/console/clients?done=deleted');
    expect(await gw.deps.store.clients.findById(app.id)).toBeNull();
    expect(await atProxy(t)).toBe(401);
    // The unconfirmed form was refused before any change was tried (as the admin API's validation is): no entry.
    expect((await auditOf(app.id)).map((e) => [e.operation, e.outcome])).toEqual([['deleteClient', 'success']]);
  });

  test('disable, enable and delete a user; a wrong username is a 400 page and a refused entry', async () => {
    const admin = await newUser('operators');
    const holder = await newUser();
    const app = await newClient();
    const t = await token(app.id, app.secret, holder);
    const browser = await signedIn(admin);
    const users = await browser.get('/console/users');
    expect((await browser.post('/console/users/disable', formFor(users, '/console/users/disable', holder))).location).toBe('/console/users?done=disabled');
    expect(await atProxy(t)).toBe(401);
    expect((await tokenRequest(app.id, app.secret, holder)).status).not.toBe(200);
    const again = await browser.get('/console/users');
    expect((await browser.post('/console/users/enable', formFor(again, '/console/users/enable', holder))).status).toBe(303);
    await token(app.id, app.secret, holder);
    const confirm = await browser.get(`/console/users/delete?id=${holder}`);
    expect((await browser.post('/console/users/delete', formFor(confirm, '/console/users/delete', holder))).status).toBe(303);
    expect(await gw.deps.store.users.findByUsername(holder)).toBeNull();
    const { csrf_token } = formFor(again, '/console/users/disable', admin);
    const unknown = await browser.post('/console/users/disable', { csrf_token, id: 'nobody-at-all' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('nobody-at-all');
    expect((await auditOf('nobody-at-all')).map((e) => [e.operation, e.outcome])).toEqual([['disableUser', 'refused']]);
    expect((await auditOf(holder)).map((e) => e.operation)).toEqual(['deleteUser', 'enableUser', 'disableUser']);
  });

  test('disable, enable and rotate a consumer: the new secret opens from the store, shown once', async () => {
    const admin = await newUser('operators');
    const created = await addConsumer(gw.deps, { name: `Phone ${++n}` });
    gw.remember(created.secret);
    const key = created.consumer.key;
    const browser = await signedIn(admin);
    const consumers = await browser.get('/console/consumers');
    expect((await browser.post('/console/consumers/disable', formFor(consumers, '/console/consumers/disable', key))).status).toBe(303);
    expect((await gw.deps.store.consumers.findByKey(key))!.enabled).toBe(false);
    const again = await browser.get('/console/consumers');
    expect((await browser.post('/console/consumers/enable', formFor(again, '/console/consumers/enable', key))).status).toBe(303);
    expect((await gw.deps.store.consumers.findByKey(key))!.enabled).toBe(true);
    const answer = await browser.post('/console/consumers/rotate-secret', formFor(again, '/console/consumers/rotate-secret', key));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toContain('no-store');
    const secret = shownSecret(answer)!;
    gw.remember(secret);
    expect(secret).not.toBe(created.secret);
    expect(gw.deps.secrets.open((await gw.deps.store.consumers.findByKey(key))!.secretEnc)).toBe(secret);
    expect(gw.leakedSecrets()).toEqual([]);
    expect((await auditOf(key)).map((e) => e.operation)).toEqual(['rotateConsumerSecret', 'enableConsumer', 'disableConsumer']);
  });

  test('rotate a consumer secret with a grace period: the old secret stays accepted until it ends', async () => {
    const admin = await newUser('operators');
    const created = await addConsumer(gw.deps, { name: `Phone ${++n}` });
    gw.remember(created.secret);
    const key = created.consumer.key;
    const browser = await signedIn(admin);
    const fields = formFor(await browser.get('/console/consumers'), '/console/consumers/rotate-secret', key);
    const answer = await browser.post('/console/consumers/rotate-secret', { ...fields, grace_seconds: '600' });
    expect(answer.status).toBe(200);
    const secret = shownSecret(answer)!;
    gw.remember(secret);
    expect(answer.text).toContain('The old secret keeps working until');
    const row = (await gw.deps.store.consumers.findByKey(key))!;
    expect(gw.deps.secrets.open(row.secretEnc)).toBe(secret);
    expect(gw.deps.secrets.open(row.previousSecretEnc!)).toBe(created.secret);
    expect(row.previousSecretExpiresAt).toBe(gw.clock() + 600_000);
    // Not a number is refused before the change is tried (not audited, as for a client); past seven
    // days the rotation itself refuses, and that is audited.
    expect((await browser.post('/console/consumers/rotate-secret', { ...fields, grace_seconds: 'soon' })).status).toBe(400);
    const tooLong = await browser.post('/console/consumers/rotate-secret', { ...fields, grace_seconds: '99999999' });
    expect(tooLong.status).toBe(400);
    expect(gw.deps.secrets.open((await gw.deps.store.consumers.findByKey(key))!.secretEnc)).toBe(secret);
    expect(gw.leakedSecrets()).toEqual([]);
    expect((await auditOf(key)).map((e) => [e.operation, e.outcome])).toEqual([['rotateConsumerSecret', 'refused'], ['rotateConsumerSecret', 'success']]);
  });

  test('revoking a user\u2019s grants from the console is audited too', async () => {
    const admin = await newUser('operators');
    const holder = await newUser();
    const app = await newClient();
    const t = await token(app.id, app.secret, holder);
    const browser = await signedIn(admin);
    const grants = await browser.get(`/console/grants?user=${holder}`);
    const fields = [...grants.text.matchAll(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/gi)].map((m) => readForm(m[0])).find((f) => f.fields.client === app.id)!.fields;
    expect((await browser.post('/console/grants/revoke', fields)).status).toBe(303);
    expect(await atProxy(t)).toBe(401);
    expect((await auditOf(holder)).map((e) => [e.operation, e.targetKind, e.actor, e.outcome])).toEqual([['revokeUserGrants', 'grant', admin, 'success']]);
  });
});

describe('refusals', () => {
  test('without the session CSRF token: 403 and nothing changed', async () => {
    const admin = await newUser('operators');
    const app = await newClient();
    const browser = await signedIn(admin);
    const fields = formFor(await browser.get('/console/clients'), '/console/clients/disable', app.id);
    const forged = await browser.post('/console/clients/disable', { ...fields, csrf_token: 'A'.repeat(43) });
    expect(forged.status).toBe(403);
    const { csrf_token: _dropped, ...without } = fields;
    expect((await browser.post('/console/clients/disable', without)).status).toBe(403);
    expect((await new Browser(gw.url).post('/console/clients/disable', fields)).status).toBe(403);
    expect((await gw.deps.store.clients.findById(app.id))!.enabled).toBe(true);
  });

  test('admin_read sees no buttons, gets 403 on every change and on the delete confirmation', async () => {
    const auditor = await newUser('auditors');
    const app = await newClient();
    const browser = await signedIn(auditor);
    for (const path of ['/console/clients', '/console/consumers', '/console/users']) {
      const page = await browser.get(path);
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/\/console\/(clients|consumers|users)\/(enable|disable|delete|rotate-secret)/);
    }
    const ownToken = /name="csrf_token" value="([^"]+)"/.exec((await browser.get('/account')).text)![1];
    for (const action of ['disable', 'rotate-secret']) {
      const refused = await browser.post(`/console/clients/${action}`, { csrf_token: ownToken, id: app.id });
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('Read-only access');
    }
    expect((await browser.post('/console/clients/delete', { csrf_token: ownToken, id: app.id, confirm: 'yes' })).status).toBe(403);
    expect((await browser.get(`/console/clients/delete?id=${app.id}`)).status).toBe(403);
    expect((await gw.deps.store.clients.findById(app.id))!.enabled).toBe(true);
    expect(await auditOf(app.id)).toEqual([]);
  });
});

describe('/console/audit', () => {
  test('lists the changes newest first, pages with "before", and refuses a bad cursor', async () => {
    const admin = await newUser('operators');
    const app = await newClient();
    const browser = await signedIn(admin);
    const clients = await browser.get('/console/clients');
    await browser.post('/console/clients/disable', formFor(clients, '/console/clients/disable', app.id));
    const page = await browser.get('/console/audit');
    expect(page.status).toBe(200);
    const firstRow = /<tbody><tr>([\s\S]*?)<\/tr>/.exec(page.text)![1];
    expect(firstRow).toContain('disableClient');
    expect(firstRow).toContain(`<code>${app.id}</code>`);
    expect(firstRow).toContain(admin);
    expect(firstRow).toContain('success');
    // Fill past one page, then walk to the older page.
    for (let i = 0; i < 51; i++) {
      await gw.deps.store.auditLog.append({ at: gw.clock(), actor: 'filler', actorClient: null, operation: 'enableClient', targetKind: 'client', target: `filler-${i}`, address: null, outcome: 'success' });
    }
    const newest = await browser.get('/console/audit');
    expect(newest.text).toContain('filler-50');
    expect(newest.text).not.toContain(`<code>${app.id}</code>`);
    const older = /href="(\/console\/audit\?before=\d+)"/.exec(newest.text)![1];
    const second = await browser.get(older);
    expect(second.status).toBe(200);
    expect(second.text).toContain(`<code>${app.id}</code>`);
    expect(second.text).not.toContain('filler-50');
    expect((await browser.get('/console/audit?before=abc')).status).toBe(400);
    // admin_read may read the log too.
    expect((await (await signedIn(await newUser('auditors'))).get('/console/audit')).status).toBe(200);
  });
});
