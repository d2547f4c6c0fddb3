import { Browser, readForm, type PageResult } from '../helpers/oauth1';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import type { AuditEntryRow } from '../../src/storage/types';

// The console's create and edit forms over real HTTP with a cookie-keeping user agent: they run the
// admin API's operations (same schemas, same handlers), put each problem next to its field, refuse
// a stale edit with 409 and the current values, show a new secret once, audit every change, and
// refuse a POST without the session's CSRF token or from an `admin_read` operator.

jest.setTimeout(60_000);

let gw: TestGateway;
let n = 0;
const password = 'a-long-password-1';

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.fixtures.profile('operators', ['admin']);
  await gw.fixtures.profile('auditors', ['admin_read']);
});

afterAll(async () => {
  await gw?.close();
});

const unique = (prefix: string) => `${prefix}${++n}-${Math.random().toString(36).slice(2, 8)}`;

async function newUser(profile?: string): Promise<string> {
  const username = unique('op');
  const p = profile ? await gw.deps.store.profiles.findByName(profile) : null;
  await gw.fixtures.user(username, password, { profile: p ?? undefined });
  return username;
}

async function signedIn(profile: 'operators' | 'auditors'): Promise<{ browser: Browser; username: string }> {
  const username = await newUser(profile);
  const browser = new Browser(gw.url);
  const login = await browser.get('/console');
  expect((await browser.submit(login, { username, password })).status).toBe(303);
  return { browser, username };
}

/** The hidden fields of the page's registration form (CSRF token, id, version). */
function registrationForm(page: PageResult): Record<string, string> {
  const markup = /<form\b[^>]*class="registration"[^>]*>[\s\S]*?<\/form>/.exec(page.text);
  if (!markup) throw new Error(`no registration form on a ${page.status} page`);
  return readForm(markup[0]).fields;
}

/** The value an input or textarea shows. */
function shownValue(page: PageResult, name: string): string | undefined {
  const input = new RegExp(`<input\\b[^>]*\\bname="${name}" value="([^"]*)"`).exec(page.text);
  if (input) return input[1];
  return new RegExp(`<textarea\\b[^>]*\\bname="${name}"[^>]*>([^<]*)</textarea>`).exec(page.text)?.[1];
}

/** The error shown next to a field (its id f-<name>-error), or undefined. */
const fieldError = (page: PageResult, name: string) => new RegExp(`<p class="field-error" id="f-${name}-error">([^<]*)</p>`).exec(page.text)?.[1];
/** The control that has the focus when the page opens. */
const autofocused = (page: PageResult) => /<(?:input|select|textarea|p|div)\b[^>]*\bid="([^"]+)"[^>]*\bautofocus\b/.exec(page.text)?.[1];
const shownSecret = (page: PageResult) => /<code class="secret">([^<]+)<\/code>/.exec(page.text)?.[1];
const auditOf = (target: string): Promise<AuditEntryRow[]> => gw.deps.store.auditLog.page({ target, limit: 20 });

async function passwordToken(clientId: string, secret: string, username: string) {
  const f = form({ grant_type: 'password', username, password });
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(clientId, secret) } });
}

describe('clients', () => {
  test('create a confidential client: the secret is shown once (no-store), works at /oauth2/token, is never logged nor audited', async () => {
    const { browser, username } = await signedIn('operators');
    const holder = await newUser();
    const id = unique('web');
    const page = await browser.get('/console/clients/new');
    expect(page.status).toBe(200);
    const answer = await browser.post('/console/clients/new', {
      ...registrationForm(page),
      client_id: id,
      name: 'Web shop',
      'grants.password': 'yes',
      refresh: 'yes',
      scopes: 'read\nwrite',
      access_ttl: '600',
      refresh_ttl: '',
      profile: '',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toContain('no-store');
    const secret = shownSecret(answer)!;
    gw.remember(secret);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const row = (await gw.deps.store.clients.findById(id))!;
    expect([row.name, [...row.grants].sort(), row.refresh, row.scopes, row.accessTtl, row.refreshTtl]).toEqual(['Web shop', ['password', 'refresh_token'], true, ['read', 'write'], 600, null]);
    expect((await passwordToken(id, secret, holder)).status).toBe(200);
    expect((await browser.get('/console/clients')).text).not.toContain(secret);
    const entries = await auditOf(id);
    expect(entries.map((e) => [e.operation, e.targetKind, e.actor, e.actorClient, e.outcome])).toEqual([['createClient', 'client', username, null, 'success']]);
    expect(JSON.stringify(entries)).not.toContain(secret);
    expect(gw.leakedSecrets()).toEqual([]);
  });

  test('a public client has no secret: the create answers 303 to the list', async () => {
    const { browser } = await signedIn('operators');
    const id = unique('spa');
    const answer = await browser.post('/console/clients/new', {
      ...registrationForm(await browser.get('/console/clients/new')),
      client_id: id,
      name: 'Single page app',
      'grants.authorization_code': 'yes',
      public: 'yes',
      redirect_uris: 'https://spa.example/cb',
    });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/console/clients?done=created');
    expect((await gw.deps.store.clients.findById(id))!.secretHash).toBeNull();
    expect((await browser.get(answer.location!)).text).toContain('Created.');
  });

  test('schema errors: each next to its field, the first one focused, the typed values kept, nothing created nor audited', async () => {
    const { browser } = await signedIn('operators');
    const id = unique('bad');
    const answer = await browser.post('/console/clients/new', {
      ...registrationForm(await browser.get('/console/clients/new')),
      client_id: id,
      name: '',
      access_ttl: 'soon',
      scopes: 'read',
    });
    expect(answer.status).toBe(400);
    expect(fieldError(answer, 'grants')).toBe('Choose at least one.');
    expect(fieldError(answer, 'name')).toBe('Fill this in.');
    expect(fieldError(answer, 'access_ttl')).toBe('Enter a whole number.');
    expect(answer.text).toMatch(/id="f-access_ttl"[^>]*aria-describedby="f-access_ttl-hint f-access_ttl-error"[^>]*aria-invalid="true"/);
    // Description comes first of the three in the form: it has the focus.
    expect(autofocused(answer)).toBe('f-name');
    expect(answer.text).toContain('href="#f-name"');
    expect([shownValue(answer, 'client_id'), shownValue(answer, 'access_ttl'), shownValue(answer, 'scopes')]).toEqual([id, 'soon', 'read']);
    expect(await gw.deps.store.clients.findById(id)).toBeNull();
    expect(await auditOf(id)).toEqual([]);
  });

  test("the accounts layer's refusal lands next to its field and is audited as refused", async () => {
    const { browser } = await signedIn('operators');
    const answer = await browser.post('/console/clients/new', {
      ...registrationForm(await browser.get('/console/clients/new')),
      name: 'Code app',
      'grants.authorization_code': 'yes',
    });
    expect(answer.status).toBe(400);
    expect(fieldError(answer, 'redirect_uris')).toContain('need at least one redirect URI');
    expect(autofocused(answer)).toBe('f-redirect_uris');
    const [entry] = await gw.deps.store.auditLog.page({ limit: 1 });
    expect([entry.operation, entry.outcome]).toEqual(['createClient', 'refused']);
  });

  test('a client ID already taken: 409, the problem next to Client ID', async () => {
    const { browser } = await signedIn('operators');
    const id = unique('taken');
    await gw.fixtures.client({ id, name: 'First', grants: 'client_credentials' });
    const answer = await browser.post('/console/clients/new', { ...registrationForm(await browser.get('/console/clients/new')), client_id: id, name: 'Second', 'grants.client_credentials': 'yes' });
    expect(answer.status).toBe(409);
    expect(fieldError(answer, 'client_id')).toContain('already exists');
    expect((await gw.deps.store.clients.findById(id))!.name).toBe('First');
  });

  test('edit a client: the form holds its values and version, a save changes them and is audited', async () => {
    const { browser, username } = await signedIn('operators');
    const id = unique('edit');
    await gw.fixtures.client({ id, name: 'Old name', grants: 'password', scopes: 'read', accessTtl: '300' });
    const page = await browser.get(`/console/clients/edit?id=${id}`);
    expect(page.status).toBe(200);
    expect([shownValue(page, 'name'), shownValue(page, 'scopes'), shownValue(page, 'access_ttl')]).toEqual(['Old name', 'read', '300']);
    const hidden = registrationForm(page);
    expect(hidden.version).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const answer = await browser.post('/console/clients/edit', { ...hidden, name: 'New name', scopes: 'read\nwrite', access_ttl: '', refresh_ttl: '', code_ttl: '', redirect_uris: '', profile: 'operators' });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/console/clients?done=saved');
    const row = (await gw.deps.store.clients.findById(id))!;
    expect([row.name, row.scopes, row.accessTtl, row.profileId]).toEqual(['New name', ['read', 'write'], null, (await gw.deps.store.profiles.findByName('operators'))!.id]);
    expect((await auditOf(id)).map((e) => [e.operation, e.actor, e.outcome])).toEqual([['updateClient', username, 'success']]);
  });

  test('a stale save: 409 with a clear message and the current values; nothing overwritten; the save with the new version goes through', async () => {
    const { browser } = await signedIn('operators');
    const id = unique('stale');
    await gw.fixtures.client({ id, name: 'Start', grants: 'password' });
    const first = registrationForm(await browser.get(`/console/clients/edit?id=${id}`));
    const second = registrationForm(await browser.get(`/console/clients/edit?id=${id}`));
    expect((await browser.post('/console/clients/edit', { ...first, name: 'Saved first' })).status).toBe(303);
    const stale = await browser.post('/console/clients/edit', { ...second, name: 'Saved second' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('someone changed this client after you opened the form');
    expect(shownValue(stale, 'name')).toBe('Saved first');
    expect((await gw.deps.store.clients.findById(id))!.name).toBe('Saved first');
    const fresh = registrationForm(stale);
    expect(fresh.version).not.toBe(second.version);
    expect((await browser.post('/console/clients/edit', { ...fresh, name: 'Saved second' })).status).toBe(303);
    expect((await gw.deps.store.clients.findById(id))!.name).toBe('Saved second');
    expect((await auditOf(id)).map((e) => e.outcome)).toEqual(['success', 'refused', 'success']);
  });

  test('tampered edit forms: no version is a 400, an id no client can have a 404, an unknown profile an error next to the field; never a 500', async () => {
    const { browser } = await signedIn('operators');
    const id = unique('tamper');
    await gw.fixtures.client({ id, name: 'Tampered', grants: 'password' });
    const hidden = registrationForm(await browser.get(`/console/clients/edit?id=${id}`));
    expect((await browser.post('/console/clients/edit', { ...hidden, version: '', name: 'X' })).status).toBe(400);
    expect((await browser.post('/console/clients/edit', { ...hidden, id: 'x'.repeat(65), name: 'X' })).status).toBe(404);
    const unknown = await browser.post('/console/clients/edit', { ...hidden, name: 'Tampered', profile: 'no-such-profile' });
    expect(unknown.status).toBe(400);
    expect(fieldError(unknown, 'profile')).toContain('Unknown profile');
    expect((await browser.get('/console/clients/edit?id=a&id=b')).status).toBe(400);
    expect((await gw.deps.store.clients.findById(id))!.profileId).toBeNull();
  });

  test('edit of a client that does not exist: 404 page', async () => {
    const { browser } = await signedIn('operators');
    expect((await browser.get('/console/clients/edit?id=no-such-client')).status).toBe(404);
  });
});

describe('consumers, users and profiles', () => {
  test('create a consumer trusted for xAuth (secret shown once), then edit its callback', async () => {
    const { browser } = await signedIn('operators');
    const answer = await browser.post('/console/consumers/new', {
      ...registrationForm(await browser.get('/console/consumers/new')),
      name: 'Phone app',
      xauth: 'yes',
      'signature_methods.HMAC-SHA256': 'yes',
    });
    expect(answer.status).toBe(200);
    const secret = shownSecret(answer)!;
    gw.remember(secret);
    const key = /<dt>Consumer key<\/dt><dd><code>([^<]+)<\/code>/.exec(answer.text)![1];
    const row = (await gw.deps.store.consumers.findByKey(key))!;
    expect([row.name, row.xauth, row.signatureMethods, gw.deps.secrets.open(row.secretEnc)]).toEqual(['Phone app', true, ['HMAC-SHA256'], secret]);
    const edit = await browser.get(`/console/consumers/edit?id=${key}`);
    const bad = await browser.post('/console/consumers/edit', { ...registrationForm(edit), name: 'Phone app', xauth: 'yes', callback: 'javascript:alert(1)', callback_match: 'exact' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad, 'callback')).toBeDefined();
    const saved = await browser.post('/console/consumers/edit', { ...registrationForm(edit), name: 'Phone app', callback: 'https://phone.example/cb', callback_match: 'exact' });
    expect(saved.status).toBe(303);
    const after = (await gw.deps.store.consumers.findByKey(key))!;
    expect([after.callbackUrl, after.callbackMatch, after.xauth]).toEqual(['https://phone.example/cb', 'exact', false]);
    expect((await auditOf(key)).map((e) => [e.operation, e.outcome])).toEqual([
      ['updateConsumer', 'success'],
      ['updateConsumer', 'refused'],
      ['createConsumer', 'success'],
    ]);
    expect(gw.leakedSecrets()).toEqual([]);
  });

  test('create a user: a short password is refused next to its field and never shown again; then change the profile', async () => {
    const { browser } = await signedIn('operators');
    const username = unique('carol');
    const page = await browser.get('/console/users/new');
    const short = await browser.post('/console/users/new', { ...registrationForm(page), username, password: 'short7!', profile: '' });
    expect(short.status).toBe(400);
    expect(fieldError(short, 'password')).toContain('at least 8 characters');
    expect(short.text).not.toContain('short7!');
    expect(shownValue(short, 'username')).toBe(username);
    const secretPassword = 'carol-password-long';
    gw.remember(secretPassword);
    const created = await browser.post('/console/users/new', { ...registrationForm(page), username, password: secretPassword, profile: 'auditors' });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/console/users?done=created');
    const edit = await browser.get(`/console/users/edit?id=${username}`);
    expect(edit.text).toMatch(/<option value="auditors" selected>/);
    expect((await browser.post('/console/users/edit', { ...registrationForm(edit), profile: '' })).status).toBe(303);
    expect((await gw.deps.store.users.findByUsername(username))!.profileId).toBeNull();
    expect((await auditOf(username)).map((e) => e.operation)).toEqual(['updateUser', 'createUser']);
    expect(gw.leakedSecrets()).toEqual([]);
  });

  test('create and edit a profile; a privilege with a comma is refused by the schema', async () => {
    const { browser } = await signedIn('operators');
    const name = unique('support');
    const page = await browser.get('/console/profiles/new');
    const bad = await browser.post('/console/profiles/new', { ...registrationForm(page), name, privileges: 'a,b' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad, 'privileges')).toContain('a privilege has no comma');
    expect((await browser.post('/console/profiles/new', { ...registrationForm(page), name, privileges: 'tickets.read' })).status).toBe(303);
    const edit = await browser.get(`/console/profiles/edit?id=${name}`);
    expect(shownValue(edit, 'privileges')).toBe('tickets.read');
    expect((await browser.post('/console/profiles/edit', { ...registrationForm(edit), privileges: 'tickets.read\ntickets.write' })).status).toBe(303);
    expect((await gw.deps.store.profiles.findByName(name))!.privileges).toEqual(['tickets.read', 'tickets.write']);
    expect((await auditOf(name)).map((e) => e.operation)).toEqual(['updateProfile', 'createProfile']);
  });
});

describe('refusals', () => {
  test('without the session CSRF token: 403 and nothing created', async () => {
    const { browser } = await signedIn('operators');
    const hidden = registrationForm(await browser.get('/console/profiles/new'));
    const name = unique('forged');
    expect((await browser.post('/console/profiles/new', { ...hidden, csrf_token: 'A'.repeat(43), name })).status).toBe(403);
    const { csrf_token: _dropped, ...without } = hidden;
    expect((await browser.post('/console/profiles/new', { ...without, name })).status).toBe(403);
    expect((await new Browser(gw.url).post('/console/profiles/new', { ...hidden, name })).status).toBe(403);
    expect(await gw.deps.store.profiles.findByName(name)).toBeNull();
  });

  test('admin_read sees the forms read-only (disabled, nothing to send) and a POST is refused with 403', async () => {
    const { browser } = await signedIn('auditors');
    const id = unique('ro');
    await gw.fixtures.client({ id, name: 'Read only', grants: 'password' });
    for (const path of ['/console/clients/new', `/console/clients/edit?id=${id}`, '/console/consumers/new', '/console/users/new', '/console/profiles/new']) {
      const page = await browser.get(path);
      expect([path, page.status]).toEqual([path, 200]);
      expect(page.text).toContain('<fieldset class="plain" disabled>');
      expect(page.text).not.toContain('name="csrf_token"');
      expect(page.text).not.toMatch(/<button type="submit">/);
    }
    const ownToken = /name="csrf_token" value="([^"]+)"/.exec((await browser.get('/account')).text)![1];
    const refused = await browser.post('/console/clients/edit', { csrf_token: ownToken, id, version: '*', name: 'Changed' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Read-only access');
    expect((await browser.post('/console/clients/new', { csrf_token: ownToken, name: 'New', 'grants.password': 'yes' })).status).toBe(403);
    expect((await gw.deps.store.clients.findById(id))!.name).toBe('Read only');
    expect(await auditOf(id)).toEqual([]);
  });
});
