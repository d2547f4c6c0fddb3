import { basicAuth, form, startTestGateway } from '../helpers/gateway';
import { startAdminApiGateway, type AdminApiGateway } from '../helpers/admin-api';

// The admin REST API over real HTTP on a real gateway (SQLite): who may call it, how it refuses
// (RFC 9457 Problem Details), conditional updates, secret rotation and the audit log.

let a: AdminApiGateway;
beforeAll(async () => {
  a = await startAdminApiGateway();
});
afterAll(async () => {
  await a?.gw.close();
});

function expectProblem(res: { status: number; headers: Headers; json: any }, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ type: `urn:oauth-gateway:problem:${code}`, status, code, title: expect.any(String), detail: expect.any(String) });
  expect(res.headers.get('cache-control')).toBe('no-store');
}

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}`;

describe('authorisation', () => {
  test('no token: 401 Problem Details with a Bearer challenge', async () => {
    const res = await a.api('GET', '/clients', { token: null });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
  });

  test('an unknown token: 401 invalid_token', async () => {
    const res = await a.api('GET', '/clients', { token: 'not-a-token-of-this-gateway' });
    expectProblem(res, 401, 'invalid_token');
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  test('a token without admin or admin_read: 403 for reads and writes', async () => {
    expectProblem(await a.api('GET', '/users', { token: a.tokens.nobody }), 403, 'insufficient_privileges');
    const res = await a.api('POST', '/profiles', { token: a.tokens.nobody, body: { name: 'x' } });
    expectProblem(res, 403, 'insufficient_privileges');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  test('admin_read reads but may not change anything', async () => {
    expect((await a.api('GET', '/users', { token: a.tokens.auditor })).status).toBe(200);
    expectProblem(await a.api('POST', '/profiles', { token: a.tokens.auditor, body: { name: unique('p') } }), 403, 'insufficient_privileges');
  });

  test('callers off loopback are refused unless admin.remote (the original caller behind a trusted proxy counts)', async () => {
    const proxied = await startTestGateway({ config: { server: { trustedProxies: ['127.0.0.1'] } } });
    try {
      const res = await proxied.request('/admin/api/v1/openapi.json', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
      expectProblem(res as any, 403, 'forbidden_address');
      expect((await proxied.request('/admin/api/v1/openapi.json')).status).toBe(200);
    } finally {
      await proxied.close();
    }
    const remote = await startTestGateway({ config: { server: { trustedProxies: ['127.0.0.1'] }, admin: { remote: true } } });
    try {
      expect((await remote.request('/admin/api/v1/openapi.json', { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(200);
    } finally {
      await remote.close();
    }
  });

  test('admin.enabled false: the paths are not the gateway\'s', async () => {
    const off = await startTestGateway({ config: { admin: { enabled: false } } });
    try {
      expect((await off.request('/admin/api/v1/openapi.json')).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('validation errors are Problem Details, never a 500', () => {
  test('an unknown field, a wrong type, bad JSON, a wrong media type, a repeated query parameter', async () => {
    expectProblem(await a.api('POST', '/clients', { body: { name: 'x', grants: ['password'], colour: 'red' } }), 400, 'invalid_input');
    expectProblem(await a.api('POST', '/clients', { body: { name: 'x', grants: 'password' } }), 400, 'invalid_input');
    expectProblem(await a.api('POST', '/clients', { body: '{"name":' }), 400, 'invalid_input');
    expectProblem(await a.api('POST', '/clients', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    expectProblem(await a.api('GET', '/clients?limit=1&limit=2'), 400, 'invalid_input');
    expectProblem(await a.api('GET', '/clients?limit=0'), 400, 'invalid_input');
    expectProblem(await a.api('GET', '/clients?cursor=%%%'), 400, 'invalid_input');
  });

  test('the accounts rules answer with the API field names', async () => {
    const res = await a.api('POST', '/clients', { body: { name: 'Web', grants: ['authorization_code'] } });
    expectProblem(res, 400, 'invalid_input');
    expect(res.json.detail).toContain('redirect_uris');
  });

  test('a password is never echoed in a refusal', async () => {
    const res = await a.api('POST', '/users', { body: { username: 'has space', password: 'hunter2-secret-value' } });
    expectProblem(res, 400, 'invalid_input');
    expect(res.text).not.toContain('hunter2-secret-value');
  });

  test('unknown resources are 404, a duplicate is 409, a wrong method is 405 with Allow', async () => {
    expectProblem(await a.api('GET', '/clients/no-such-client'), 404, 'not_found');
    expectProblem(await a.api('GET', '/nothing-here'), 404, 'not_found');
    await a.api('POST', '/profiles', { body: { name: 'dup' } });
    expectProblem(await a.api('POST', '/profiles', { body: { name: 'dup' } }), 409, 'conflict');
    const res = await a.api('PUT', '/clients');
    expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD');
    const head = await a.api('HEAD', '/clients');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });
});

describe('conditional updates (ETag / If-Match)', () => {
  test('PATCH without If-Match is 428; with a stale ETag 412; with the current one it applies and gives the new ETag', async () => {
    const id = unique('etag');
    await a.api('POST', '/clients', { body: { client_id: id, name: 'Before', grants: ['client_credentials'] } });
    const read = await a.api('GET', `/clients/${id}`);
    const etag = read.headers.get('etag') as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    expectProblem(await a.api('PATCH', `/clients/${id}`, { body: { name: 'After' } }), 428, 'precondition_required');
    const updated = await a.api('PATCH', `/clients/${id}`, { body: { name: 'After', access_ttl: 120 }, headers: { 'If-Match': etag } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ name: 'After', access_ttl: 120 });
    expect(updated.headers.get('etag')).not.toBe(etag);
    expect((await a.api('GET', `/clients/${id}`)).headers.get('etag')).toBe(updated.headers.get('etag'));
    expectProblem(await a.api('PATCH', `/clients/${id}`, { body: { name: 'Again' }, headers: { 'If-Match': etag } }), 412, 'precondition_failed');
  });

  test('two concurrent PATCHes with the same ETag: exactly one wins, the other gets 412', async () => {
    const id = unique('race');
    await a.api('POST', '/clients', { body: { client_id: id, name: 'Start', grants: ['client_credentials'] } });
    const etag = (await a.api('GET', `/clients/${id}`)).headers.get('etag') as string;
    const results = await Promise.all(
      ['One', 'Two', 'Three', 'Four'].map((name) => a.api('PATCH', `/clients/${id}`, { body: { name }, headers: { 'If-Match': etag } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!;
    expect((await a.api('GET', `/clients/${id}`)).json.name).toBe(winner.json.name);
  });

  test('profiles, users and consumers take If-Match too', async () => {
    const profile = unique('prof');
    await a.api('POST', '/profiles', { body: { name: profile, privileges: ['a'] } });
    const pe = (await a.api('GET', `/profiles/${profile}`)).headers.get('etag') as string;
    expect((await a.api('PATCH', `/profiles/${profile}`, { body: { privileges: ['a', 'b'] }, headers: { 'If-Match': pe } })).json.privileges).toEqual(['a', 'b']);

    const username = unique('user');
    await a.api('POST', '/users', { body: { username, password: 'long enough password' } });
    const ue = (await a.api('GET', `/users/${username}`)).headers.get('etag') as string;
    expect((await a.api('PATCH', `/users/${username}`, { body: { profile }, headers: { 'If-Match': ue } })).json.profile).toBe(profile);
    expectProblem(await a.api('PATCH', `/users/${username}`, { body: { profile: null }, headers: { 'If-Match': ue } }), 412, 'precondition_failed');

    const consumer = await a.api('POST', '/consumers', { body: { name: 'Legacy' } });
    const ce = (await a.api('GET', `/consumers/${consumer.json.key}`)).headers.get('etag') as string;
    const patched = await a.api('PATCH', `/consumers/${consumer.json.key}`, { body: { callback: 'https://legacy.example/cb', xauth: true }, headers: { 'If-Match': ce } });
    expect(patched.json).toMatchObject({ callback: 'https://legacy.example/cb', xauth: true });
  });
});

describe('operations', () => {
  test('client lifecycle: create (secret once), disable refuses its token requests, enable, delete', async () => {
    const id = unique('machine');
    const created = await a.api('POST', '/clients', { body: { client_id: id, name: 'Machine', grants: ['client_credentials'] } });
    expect(created.status).toBe(201);
    const secret = created.json.client_secret as string;
    const token = () => a.gw.request('/oauth2/token', { method: 'POST', ...form({ grant_type: 'client_credentials' }), headers: { ...form({}).headers, Authorization: basicAuth(id, secret) } });
    expect((await token()).status).toBe(200);
    expect((await a.api('GET', `/clients/${id}`)).text).not.toContain(secret);
    expect((await a.api('POST', `/clients/${id}/disable`)).json.enabled).toBe(false);
    expect((await token()).status).toBe(401);
    expect((await a.api('POST', `/clients/${id}/enable`)).json.enabled).toBe(true);
    expect((await token()).status).toBe(200);
    expect((await a.api('DELETE', `/clients/${id}`)).status).toBe(204);
    expect((await token()).status).toBe(401);
    expectProblem(await a.api('DELETE', `/clients/${id}`), 404, 'not_found');
  });

  test('rotate-secret with a grace period: both secrets work until it ends, then only the new one', async () => {
    const id = unique('rotating');
    const old = (await a.api('POST', '/clients', { body: { client_id: id, name: 'Rotating', grants: ['client_credentials'] } })).json.client_secret;
    const token = (secret: string) => a.gw.request('/oauth2/token', { method: 'POST', body: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded', Authorization: basicAuth(id, secret) } });
    const rotated = await a.api('POST', `/clients/${id}/rotate-secret`, { body: { grace_seconds: 60 } });
    expect(rotated.status).toBe(200);
    expect(rotated.json.previous_secret_valid_until).toBe(new Date(a.gw.clock() + 60_000).toISOString());
    expect((await token(rotated.json.client_secret)).status).toBe(200);
    expect((await token(old)).status).toBe(200);
    a.gw.clock.advance(61_000);
    expect((await token(old)).status).toBe(401);
    expect((await token(rotated.json.client_secret)).status).toBe(200);
    const immediate = await a.api('POST', `/clients/${id}/rotate-secret`, {});
    expect(immediate.json.previous_secret_valid_until).toBeNull();
    expect((await token(rotated.json.client_secret)).status).toBe(401);
    expectProblem(await a.api('POST', `/clients/${id}/rotate-secret`, { body: { grace_seconds: -1 } }), 400, 'invalid_input');
  });

  test('users: create, list with filters and pages, grants, revoke, disable, enable, delete', async () => {
    const names = [unique('page'), unique('page'), unique('page')];
    for (const username of names) await a.api('POST', '/users', { body: { username, password: 'long enough password', profile: 'staff' } });
    const first = await a.api('GET', '/users?profile=staff&limit=2');
    expect(first.json.items).toHaveLength(2);
    const second = await a.api('GET', `/users?profile=staff&limit=2&cursor=${first.json.next_cursor}`);
    const all = [...first.json.items, ...second.json.items].map((u: any) => u.username);
    expect(all).toEqual(expect.arrayContaining([...names, 'nobody']));
    expect(new Set(all).size).toBe(all.length);

    await a.gw.request('/oauth2/token', { method: 'POST', ...form({ grant_type: 'password', username: names[0], password: 'long enough password', client_id: 'admin-cli' }) });
    const grants = await a.api('GET', `/users/${names[0]}/grants`);
    expect(grants.json.items).toEqual([expect.objectContaining({ protocol: 'oauth2', kind: 'access_token', party: 'admin-cli' })]);
    const byClient = await a.api('GET', '/clients/admin-cli/grants?limit=200', { token: a.tokens.auditor });
    expect(byClient.json.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'access_token', username: names[0] })]));
    expect((await a.api('POST', `/users/${names[0]}/grants/revoke`, { body: { client: 'admin-cli' } })).json.changed).toBeGreaterThan(0);
    const after = await a.api('GET', '/clients/admin-cli/grants?limit=200');
    expect(after.json.items.map((g: any) => g.username)).not.toContain(names[0]);
    expectProblem(await a.api('GET', '/clients/no-such/grants'), 404, 'not_found');
    expect((await a.api('GET', `/users/${names[0]}/grants`)).json.items).toEqual([]);
    expect((await a.api('POST', `/users/${names[1]}/disable`)).json.enabled).toBe(false);
    expect((await a.api('GET', '/users?enabled=false')).json.items.map((u: any) => u.username)).toContain(names[1]);
    expect((await a.api('POST', `/users/${names[1]}/enable`)).json.enabled).toBe(true);
    expect((await a.api('DELETE', `/users/${names[2]}`)).status).toBe(204);
    expectProblem(await a.api('GET', `/users/${names[2]}`), 404, 'not_found');
    expect((await a.api('GET', `/users/${names[0]}/consents`)).json.items).toEqual([]);
    expectProblem(await a.api('DELETE', `/users/${names[0]}/consents/admin-cli`), 404, 'not_found');
  });

  test('a profile still in use is not deleted (409); an unused one is', async () => {
    expectProblem(await a.api('DELETE', '/profiles/staff'), 409, 'conflict');
    const name = unique('unused');
    await a.api('POST', '/profiles', { body: { name } });
    expect((await a.api('DELETE', `/profiles/${name}`)).status).toBe(204);
  });

  test('consumers: create (secret once), rotate-secret, disable, enable, delete', async () => {
    const created = await a.api('POST', '/consumers', { body: { name: 'Legacy', signature_methods: ['HMAC-SHA256'] } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ signature_methods: ['HMAC-SHA256'], rsa_public_key: false });
    const key = created.json.key;
    const rotated = await a.api('POST', `/consumers/${key}/rotate-secret`);
    expect(rotated.json.secret).not.toBe(created.json.secret);
    expect((await a.api('GET', '/consumers')).text).not.toContain(rotated.json.secret);
    expect((await a.api('POST', `/consumers/${key}/disable`)).json.enabled).toBe(false);
    expect((await a.api('POST', `/consumers/${key}/enable`)).json.enabled).toBe(true);
    expect((await a.api('DELETE', `/consumers/${key}`)).status).toBe(204);
    expectProblem(await a.api('GET', `/consumers/${key}`), 404, 'not_found');
  });

  test('routes are listed from the configuration', async () => {
    const res = await a.api('GET', '/routes', { token: a.tokens.auditor });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: expect.any(Array) });
  });
});

describe('audit log', () => {
  test('every change is recorded with who, what, when, from where and how it ended; never a secret', async () => {
    const id = unique('audited');
    const created = await a.api('POST', '/clients', { body: { client_id: id, name: 'Audited', grants: ['client_credentials'] } });
    const rotated = await a.api('POST', `/clients/${id}/rotate-secret`);
    await a.api('PATCH', `/clients/${id}`, { body: { name: 'x' }, headers: { 'If-Match': '"stale"' } });
    const res = await a.api('GET', `/audit?target=${id}`, { token: a.tokens.auditor });
    expect(res.json.items).toEqual([
      expect.objectContaining({ operation: 'updateClient', outcome: 'refused' }),
      expect.objectContaining({ operation: 'rotateClientSecret', outcome: 'success' }),
      expect.objectContaining({ operation: 'createClient', outcome: 'success', actor: 'root', actor_client: 'admin-cli', target_kind: 'client', address: '127.0.0.1', at: new Date(a.gw.clock()).toISOString() }),
    ]);
    const everything = await a.api('GET', '/audit?limit=200');
    expect(everything.text).not.toContain(created.json.client_secret);
    expect(everything.text).not.toContain(rotated.json.client_secret);
    expect(a.gw.leakedSecrets()).toEqual([]);
  });

  test('pages newest first with a cursor; reads are not recorded', async () => {
    for (let i = 0; i < 3; i++) await a.api('POST', '/profiles', { body: { name: unique('paged') } });
    const first = await a.api('GET', '/audit?operation=createProfile&limit=2');
    expect(first.json.items).toHaveLength(2);
    expect(first.json.items[0].seq).toBeGreaterThan(first.json.items[1].seq);
    const second = await a.api('GET', `/audit?operation=createProfile&limit=2&cursor=${first.json.next_cursor}`);
    expect(second.json.items[0].seq).toBeLessThan(first.json.items[1].seq);
    expect((await a.api('GET', '/audit?operation=listClients')).json.items).toEqual([]);
  });
});

describe('on PostgreSQL', () => {
  let pg: AdminApiGateway;
  beforeAll(async () => {
    pg = await startAdminApiGateway({ database: 'postgres' });
  });
  afterAll(async () => {
    await pg?.gw.close();
  });

  test('concurrent PATCHes with one ETag: one wins, the others get 412; the audit log pages', async () => {
    await pg.api('POST', '/clients', { body: { client_id: 'pg-race', name: 'Start', grants: ['client_credentials'] } });
    const etag = (await pg.api('GET', '/clients/pg-race')).headers.get('etag') as string;
    const results = await Promise.all(['One', 'Two', 'Three'].map((name) => pg.api('PATCH', '/clients/pg-race', { body: { name }, headers: { 'If-Match': etag } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
    expect((await pg.api('DELETE', '/clients/pg-race')).status).toBe(204);
    const audit = await pg.api('GET', '/audit?target=pg-race&limit=2');
    expect(audit.json.items.map((e: any) => e.operation)).toEqual(['deleteClient', 'updateClient']);
    const rest = await pg.api('GET', `/audit?target=pg-race&cursor=${audit.json.next_cursor}`);
    const all = [...audit.json.items, ...rest.json.items];
    expect(all.map((e: any) => `${e.operation}:${e.outcome}`).sort()).toEqual([
      'createClient:success',
      'deleteClient:success',
      'updateClient:refused',
      'updateClient:refused',
      'updateClient:success',
    ]);
    expect(rest.json.next_cursor).toBeNull();
  });
});
