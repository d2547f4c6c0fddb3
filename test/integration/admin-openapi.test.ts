import { startAdminApiGateway, type AdminApiGateway } from '../helpers/admin-api';
import { Browser } from '../helpers/oauth1';
import { validateOpenApi } from '../helpers/openapi-validate';

// The OpenAPI document at /admin/api/v1/openapi.json: valid OpenAPI 3.1 by a validator from npm,
// and every operation it documents exercised as documented (tests generated from the document).

let a: AdminApiGateway;
let doc: any;
beforeAll(async () => {
  a = await startAdminApiGateway();
  doc = (await a.gw.request('/admin/api/v1/openapi.json')).json;
});
afterAll(async () => {
  await a?.gw.close();
});

test('the document is valid OpenAPI 3.1', async () => {
  const result = await validateOpenApi(doc);
  expect(result.errors).toBeNull();
  expect(result).toMatchObject({ valid: true, version: '3.1' });
  expect(doc.openapi).toBe('3.1.0');
});

/** Every operation in the document, as [method, path, operation object]. */
function documented(): Array<[string, string, any]> {
  return Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]): [string, string, any] => [method.toUpperCase(), path, op]));
}

// A valid request body for each operation that documents one: the generated test fails for a new
// operation until it has one here.
const sampleBodies: Record<string, (n: number) => unknown> = {
  createProfile: (n) => ({ name: `generated-${n}`, privileges: ['x'] }),
  updateProfile: () => ({ privileges: ['y'] }),
  createUser: (n) => ({ username: `generated-${n}`, password: 'long enough password' }),
  updateUser: () => ({ profile: null }),
  revokeUserGrants: () => ({}),
  createClient: (n) => ({ client_id: `generated-${n}`, name: 'Generated', grants: ['client_credentials'] }),
  updateClient: () => ({ name: 'Renamed' }),
  rotateClientSecret: () => ({ grace_seconds: 30 }),
  createConsumer: () => ({ name: 'Generated' }),
  updateConsumer: () => ({ xauth: true }),
  rotateSigningKeys: () => ({ alg: 'ES256' }),
  rotateConsumerSecret: () => ({ grace_seconds: 30 }),
};

let counter = 0;

/** Fresh accounts for one operation, and its path with their names filled in. */
async function fixturesFor(path: string): Promise<string> {
  const n = ++counter;
  const profile = `p-${n}`;
  const username = `u-${n}`;
  const clientId = `c-${n}`;
  await a.api('POST', '/profiles', { body: { name: profile } });
  await a.api('POST', '/users', { body: { username, password: 'long enough password' } });
  await a.api('POST', '/clients', { body: { client_id: clientId, name: 'Fixture', grants: ['client_credentials'] } });
  const key = (await a.api('POST', '/consumers', { body: { name: 'Fixture' } })).json.key;
  const user = await a.gw.deps.store.users.findByUsername(username);
  await a.gw.deps.store.consents.grant(user!.id, clientId, ['read'], a.gw.clock());
  // A grant of the user to end alone: the consent's id, from the user's listing.
  const grantIdOf = async () => (await a.api('GET', `/users/${username}/grants?kind=consent`)).json.items[0].id as string;
  await a.gw.deps.signingKeys.ensure();
  const kid = (await a.gw.deps.store.signingKeys.list()).find((k) => k.state === 'active')!.kid;
  // A browser session of the user to end alone (only for the paths that name one: a sign-in costs a scrypt).
  const sessionIdOf = async () => {
    if (!path.includes('{session_id}')) return '';
    const browser = new Browser(a.gw.url);
    await browser.submit(await browser.get('/account'), { username, password: 'long enough password' });
    return (await a.api('GET', `/users/${username}/sessions`)).json.items[0].id as string;
  };
  const values: Record<string, string> = { name: profile, username, client_id: clientId, key, kid, grant_id: await grantIdOf(), session_id: await sessionIdOf() };
  return path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(values[p]));
}

/** The documented schema's shape checked on a JSON answer: required members present, no undocumented ones. */
function conforms(schema: any, value: any): void {
  if (!schema || typeof value !== 'object' || value === null || Array.isArray(value)) return;
  if (schema.properties) {
    expect(Object.keys(value).sort()).toEqual(expect.arrayContaining(schema.required ?? []));
    for (const key of Object.keys(value)) expect(Object.keys(schema.properties)).toContain(key);
    for (const [key, sub] of Object.entries<any>(schema.properties)) {
      if (sub.type === 'array' && Array.isArray(value[key])) for (const item of value[key]) conforms(sub.items, item);
    }
  }
}

test('the generated suite covers every documented operation', () => {
  const ids = documented().map(([, , op]) => op.operationId);
  expect(ids.length).toBeGreaterThanOrEqual(30);
  const { adminOperations } = jest.requireActual('../../src/admin/operations') as typeof import('../../src/admin/operations');
  expect(ids.sort()).toEqual(adminOperations.map((op) => op.id).sort());
  for (const [, , op] of documented()) if (op.requestBody) expect(Object.keys(sampleBodies)).toContain(op.operationId);
});

describe('every documented operation', () => {
  // The document is fetched in beforeAll; jest needs the cases when the file loads, so they come
  // from the same operations the document is generated from, and each checks itself against it.
  const { adminOperations } = jest.requireActual('../../src/admin/operations') as typeof import('../../src/admin/operations');
  test.each(adminOperations.map((op) => [op.id, op.method, op.path] as const))('%s (%s %s) is refused without a token and answers as documented with one', async (id, method, path) => {
    const op = doc.paths[path][method.toLowerCase()];
    expect(op.operationId).toBe(id);
    const url = await fixturesFor(path);
    const body = op.requestBody ? sampleBodies[id](counter) : undefined;

    const anonymous = await a.api(method, url, { token: null, body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const headers: Record<string, string> = {};
    if (op.parameters.some((p: any) => p.in === 'header' && p.name === 'If-Match')) {
      headers['If-Match'] = (await a.api('GET', url)).headers.get('etag') as string;
    }
    const res = await a.api(method, url, { body, headers });
    const [status, documentedAnswer] = Object.entries<any>(op.responses).find(([code]) => code.startsWith('2'))!;
    expect({ id, status: res.status, body: res.status === Number(status) ? null : res.text }).toEqual({ id, status: Number(status), body: null });
    const content = documentedAnswer.content?.['application/json'];
    if (content) {
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      conforms(content.schema, res.json);
    } else {
      expect(res.text).toBe('');
    }
    if (documentedAnswer.headers?.ETag) expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
  });
});
