import { randomBytes } from 'node:crypto';
import { adminApiOn, type AdminApiGateway } from '../helpers/admin-api';
import { cliRunner } from '../helpers/cli';
import { basicAuth, form, type TestGateway } from '../helpers/gateway';
import { OAuth1Client, startOAuth1Gateway, xauthAccess, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { eventually } from '../helpers/redis';

// One grant of a user ended alone: DELETE /users/{username}/grants/{grant_id} (and `user revoke U
// --grant ID`). Two nodes share the database; both have the user's credentials in their
// verified-token caches. The node that answered the DELETE refuses the token on the very next
// request; the other learns it from the revocation log (on SQLite with the in-memory cache, the
// log alone: nodes share no channel; on PostgreSQL with Redis, the channel and the log).

jest.setTimeout(90_000);

// Long enough for a loaded machine (the log is read about once a second).
const NOTICED_WITHIN_MS = 8_000;

const refused = (r: { status: number }) => r.status === 401;

describe.each([
  ['sqlite', 'memory'],
  ['postgres', 'redis'],
] as const)('on %s with the %s cache', (database, cache) => {
  let a: OAuth1Gateway;
  let b: OAuth1Gateway;
  let admin: AdminApiGateway;
  let consumer: ConsumerCredentials;
  const web = { id: 'web', secret: '' };
  const svc = { id: 'svc', secret: '' };
  let users = 0;

  beforeAll(async () => {
    a = await startOAuth1Gateway({ database, cache });
    b = await startOAuth1Gateway({ sharing: a });
    admin = await adminApiOn(a);
    web.secret = (await a.fixtures.client({ id: 'web', name: 'Web App', grants: 'password,refresh_token', scopes: 'read' })).secret!;
    svc.secret = (await a.fixtures.client({ id: 'svc', name: 'Service', grants: 'password', scopes: 'read' })).secret!;
    consumer = await a.consumer({ name: 'Mobile', xauth: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const bearerOn = (gw: TestGateway, token: string) => () => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${token}` } });

  /** A user with a refresh family (web), a single access token (svc) and an OAuth 1.0a session, all cached on both nodes. */
  async function userWithGrants() {
    const user = { username: `holder-${++users}-${randomBytes(3).toString('hex')}`, password: 'a-long-password' };
    await a.fixtures.user(user.username, user.password);
    const password = async (client: { id: string; secret: string }) => {
      const f = form({ grant_type: 'password', username: user.username, password: user.password });
      return (await a.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(client.id, client.secret) } })).json;
    };
    const family = (await password(web)) as { access_token: string; refresh_token: string };
    const single = (await password(svc)) as { access_token: string };
    const { token } = await xauthAccess(new OAuth1Client(a, consumer, 'HMAC-SHA1', 'header'), user);
    const checks = (gw: OAuth1Gateway) => ({
      family: bearerOn(gw, family.access_token),
      single: bearerOn(gw, single.access_token),
      session: () => new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').whoami(token),
    });
    const onA = checks(a);
    const onB = checks(b);
    for (const check of [...Object.values(onA), ...Object.values(onB)]) expect((await check()).status).toBe(200);
    const calls = [a.storeCalls(), b.storeCalls()];
    for (const check of [...Object.values(onA), ...Object.values(onB)]) expect((await check()).status).toBe(200);
    expect([a.storeCalls(), b.storeCalls()]).toEqual(calls); // every credential is in both nodes' caches
    const grants = (await admin.api('GET', `/users/${user.username}/grants`)).json.items as Array<{ id: string; kind: string; party: string }>;
    const idOf = (kind: string) => grants.find((g) => g.kind === kind)!.id;
    return { user, family, onA, onB, ids: { family: idOf('token_family'), single: idOf('access_token'), session: idOf('oauth1_session') } };
  }

  test('every grant has an id, the same in the client and consumer listings', async () => {
    const held = await userWithGrants();
    expect(Object.values(held.ids).every((id) => /^(tf|at|os)_[0-9a-f]{32}$/.test(id))).toBe(true);
    const clientIds = (await admin.api('GET', '/clients/web/grants?limit=200')).json.items.map((g: any) => g.id);
    const svcIds = (await admin.api('GET', '/clients/svc/grants?limit=200')).json.items.map((g: any) => g.id);
    const consumerIds = (await admin.api('GET', `/consumers/${consumer.key}/grants?limit=200`)).json.items.map((g: any) => g.id);
    expect(clientIds).toContain(held.ids.family);
    expect(svcIds).toContain(held.ids.single);
    expect(consumerIds).toContain(held.ids.session);
    // The ids are no credential and no digest of one.
    for (const id of Object.values(held.ids)) expect(a.secrets().some((s) => s.includes(id.slice(3)))).toBe(false);
  });

  test('a refresh family: refused at once on this node, soon on the other; its refresh token too; the other grants stay', async () => {
    const held = await userWithGrants();
    const res = await admin.api('DELETE', `/users/${held.user.username}/grants/${held.ids.family}`);
    expect(res.status).toBe(204);
    expect((await held.onA.family()).status).toBe(401);
    expect((await eventually(held.onB.family, refused, NOTICED_WITHIN_MS)).status).toBe(401);
    const f = form({ grant_type: 'refresh_token', refresh_token: held.family.refresh_token });
    const refreshed = await b.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(web.id, web.secret) } });
    expect([refreshed.status, refreshed.json.error]).toEqual([400, 'invalid_grant']);
    for (const check of [held.onA.single, held.onA.session, held.onB.single, held.onB.session]) expect((await check()).status).toBe(200);
    const left = (await admin.api('GET', `/users/${held.user.username}/grants`)).json.items.map((g: any) => g.id);
    expect(left).not.toContain(held.ids.family);
    expect(left).toEqual(expect.arrayContaining([held.ids.single, held.ids.session]));
    const audit = (await admin.api('GET', `/audit?operation=revokeUserGrant&target=${held.user.username}/${held.ids.family}`)).json.items;
    expect(audit).toEqual([expect.objectContaining({ target_kind: 'grant', outcome: 'success', source: 'api' })]);
  });

  test('a single access token: refused at once here, soon on the other node; the family and the session stay', async () => {
    const held = await userWithGrants();
    const cachedHere = a.deps.verifiedTokens.oauth2.size;
    expect((await admin.api('DELETE', `/users/${held.user.username}/grants/${held.ids.single}`)).status).toBe(204);
    // Dropped from this node's memory before the answer, not only marked for the next log read.
    expect(a.deps.verifiedTokens.oauth2.size).toBe(cachedHere - 1);
    expect((await held.onA.single()).status).toBe(401);
    expect((await eventually(held.onB.single, refused, NOTICED_WITHIN_MS)).status).toBe(401);
    for (const check of [held.onA.family, held.onA.session, held.onB.family, held.onB.session]) expect((await check()).status).toBe(200);
  });

  test('an OAuth 1.0a session: its token is refused at once here, soon on the other node; the OAuth 2.0 grants stay', async () => {
    const held = await userWithGrants();
    expect((await admin.api('DELETE', `/users/${held.user.username}/grants/${held.ids.session}`)).status).toBe(204);
    const here = await held.onA.session();
    expect([here.status, here.form.oauth_problem]).toEqual([401, 'token_revoked']);
    expect((await eventually(held.onB.session, refused, NOTICED_WITHIN_MS)).form.oauth_problem).toBe('token_revoked');
    for (const check of [held.onA.family, held.onA.single, held.onB.family, held.onB.single]) expect((await check()).status).toBe(200);
  });

  test("an unknown or another user's grant id is 404, a malformed one 400; nothing is revoked and the refusal is audited", async () => {
    const held = await userWithGrants();
    const other = await userWithGrants();
    const foreign = await admin.api('DELETE', `/users/${held.user.username}/grants/${other.ids.family}`);
    expect([foreign.status, foreign.json.code]).toEqual([404, 'not_found']);
    expect((await admin.api('DELETE', `/users/${held.user.username}/grants/tf_${'0'.repeat(32)}`)).status).toBe(404);
    const malformed = await admin.api('DELETE', `/users/${held.user.username}/grants/not-an-id`);
    expect([malformed.status, malformed.json.code]).toEqual([400, 'invalid_input']);
    expect((await admin.api('DELETE', `/users/nobody-${randomBytes(3).toString('hex')}/grants/${held.ids.family}`)).status).toBe(404);
    expect((await admin.api('DELETE', `/users/${held.user.username}/grants/${held.ids.family}`, { token: admin.tokens.auditor })).status).toBe(403);
    for (const check of [...Object.values(held.onA), ...Object.values(other.onA)]) expect((await check()).status).toBe(200);
    const audit = (await admin.api('GET', `/audit?operation=revokeUserGrant&target=${held.user.username}/${other.ids.family}`)).json.items;
    expect(audit.map((e: any) => e.outcome)).toEqual(['refused']);
  });

  test('the CLI ends one grant too (user revoke U --grant ID), and the running nodes hear of it', async () => {
    const held = await userWithGrants();
    const schema = a.shared.schema;
    const cli = cliRunner({
      GATEWAY_DATA_DIR: a.shared.dataDir as string,
      GATEWAY_SECRET_KEY: a.shared.secretKey.toString('hex'),
      ...(schema ? { GATEWAY_DATABASE_URL: `${schema.url}?options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`, GATEWAY_REDIS_URL: a.shared.redisUrl } : {}),
    });
    try {
      const listed = await cli.run('user', 'grants', held.user.username, '--json');
      expect(JSON.parse(listed.stdout).map((g: any) => g.id)).toEqual(expect.arrayContaining(Object.values(held.ids)));
      const result = await cli.run('user', 'revoke', held.user.username, '--grant', held.ids.single, '--json');
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(JSON.parse(result.stdout)).toMatchObject({ username: held.user.username, grant: held.ids.single, kind: 'access_token', party: 'svc' });
      for (const check of [held.onA.single, held.onB.single]) expect((await eventually(check, refused, NOTICED_WITHIN_MS)).status).toBe(401);
      expect((await held.onB.family()).status).toBe(200);
      const both = await cli.run('user', 'revoke', held.user.username, '--grant', held.ids.family, '--client', 'web');
      expect([both.code, both.stderr.includes('--grant alone')]).toEqual([2, true]);
    } finally {
      cli.cleanup();
    }
  });
});
