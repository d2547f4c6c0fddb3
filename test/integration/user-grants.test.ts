import { randomBytes } from 'node:crypto';
import { Browser, decide, openAuthorization } from '../helpers/browser';
import { cliRunner } from '../helpers/cli';
import { basicAuth, form, type TestGateway } from '../helpers/gateway';
import { OAuth1Client, startOAuth1Gateway, xauthAccess, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { eventually } from '../helpers/redis';

// One registry of a user's grants across protocols: `oauth-gateway user grants U` lists them and
// `user revoke U [--client ID | --consumer KEY]` ends them. The real CLI runs in this process with
// its own store (on the deployment's PostgreSQL schema) while two gateway nodes share that database
// and Redis; node B holds the user's credentials in its verified-token caches, so only the
// revocation log it follows can tell it.

jest.setTimeout(90_000);

const callback = 'https://app.example/cb';
// Long enough for a loaded machine (the log is read about once a second).
const NOTICED_WITHIN_MS = 8_000;

let a: OAuth1Gateway;
let b: OAuth1Gateway;
let cli: ReturnType<typeof cliRunner>;
let web: { id: string; secret: string };
let svc: { id: string; secret: string };
let consumer: ConsumerCredentials;
let users = 0;

beforeAll(async () => {
  a = await startOAuth1Gateway({ database: 'postgres', cache: 'redis' });
  b = await startOAuth1Gateway({ sharing: a });
  const schema = a.shared.schema!;
  // The CLI reads the deployment's configuration: the same database (this suite's schema on it), key and Redis.
  const databaseUrl = `${schema.url}${schema.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`;
  cli = cliRunner({
    GATEWAY_DATA_DIR: a.shared.dataDir as string,
    GATEWAY_SECRET_KEY: a.shared.secretKey.toString('hex'),
    GATEWAY_DATABASE_URL: databaseUrl,
    GATEWAY_REDIS_URL: a.shared.redisUrl,
  });
  web = { id: 'web', secret: (await a.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code,password,refresh_token', redirectUris: [callback], scopes: 'read' })).secret! };
  svc = { id: 'svc', secret: (await a.fixtures.client({ id: 'svc', name: 'Service', grants: 'password', scopes: 'read' })).secret! };
  consumer = await a.consumer({ name: 'Mobile', xauth: true });
});

afterAll(async () => {
  cli?.cleanup();
  await b?.close();
  await a?.close();
});

async function run(...args: string[]): Promise<any> {
  const result = await cli.run(...args, '--json');
  expect([result.code, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout);
}

const bearerOn = (gw: TestGateway, token: string) => () => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${token}` } });
const refused = (r: { status: number }) => r.status === 401;

/** A user with a grant of every kind; node B has the OAuth 2.0 (web) and OAuth 1.0a credentials cached. */
async function userWithGrants() {
  const user = { username: `holder-${++users}-${randomBytes(3).toString('hex')}`, password: 'a-long-password' };
  const row = await a.fixtures.user(user.username, user.password);
  const password = (client: { id: string; secret: string }) => {
    const f = form({ grant_type: 'password', username: user.username, password: user.password });
    return a.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(client.id, client.secret) } });
  };
  const family = (await password(web)).json as { access_token: string; refresh_token: string };
  const single = (await password(svc)).json as { access_token: string };
  const signer = new OAuth1Client(a, consumer, 'HMAC-SHA1', 'header');
  const { token } = await xauthAccess(signer, user);
  const browser = new Browser(a.url);
  const approved = await decide(browser, await openAuthorization(browser, { client_id: 'web', response_type: 'code', redirect_uri: callback, scope: 'read', state: 's' }, user), 'approve');
  expect(approved.status).toBe(303);
  // An approved device code not yet redeemed by the device.
  const now = a.clock();
  await a.deps.store.deviceCodes.insert({
    digest: randomBytes(32).toString('hex'), userCode: randomBytes(4).toString('hex').toUpperCase(), clientId: 'web', scope: 'read', status: 'approved',
    userId: row.id, interval: 5, lastPolledAt: null, expiresAt: now + 600_000, consumedAt: null, createdAt: now,
  });

  const webOnB = bearerOn(b, family.access_token);
  const svcOnB = bearerOn(b, single.access_token);
  const oauth1OnB = () => new OAuth1Client(b, consumer, 'HMAC-SHA1', 'header').whoami(token);
  for (const check of [webOnB, svcOnB, oauth1OnB]) expect((await check()).status).toBe(200);
  const calls = b.storeCalls();
  for (const check of [webOnB, svcOnB, oauth1OnB]) expect((await check()).status).toBe(200);
  expect(b.storeCalls()).toBe(calls); // served from node B's caches

  return { user, family, webOnB, svcOnB, oauth1OnB, password };
}

const kinds = (grants: Array<{ protocol: string; kind: string; party: string }>) => grants.map((g) => `${g.protocol} ${g.kind} ${g.party}`).sort();

test('user grants lists every live grant of the user, across protocols', async () => {
  const held = await userWithGrants();
  const grants = await run('user', 'grants', held.user.username);
  expect(kinds(grants)).toEqual(
    [`oauth1 oauth1_session ${consumer.key}`, 'oauth2 access_token svc', 'oauth2 consent web', 'oauth2 device_grant web', 'oauth2 token_family web'].sort(),
  );
  expect(grants.find((g: { kind: string }) => g.kind === 'token_family').scope).toEqual(['read']);
  expect(a.leakedSecrets()).toEqual([]);
});

test('user revoke --client ends only what the user gave that client, on every node', async () => {
  const held = await userWithGrants();
  const out = await run('user', 'revoke', held.user.username, '--client', 'web');
  expect(out).toMatchObject({ username: held.user.username, client: 'web' });
  expect(out.changed).toBeGreaterThan(0);

  expect((await eventually(held.webOnB, refused, NOTICED_WITHIN_MS)).status).toBe(401);
  const refresh = form({ grant_type: 'refresh_token', refresh_token: held.family.refresh_token });
  const refreshed = await b.request('/oauth2/token', { method: 'POST', body: refresh.body, headers: { ...refresh.headers, authorization: basicAuth(web.id, web.secret) } });
  expect([refreshed.status, refreshed.json.error]).toEqual([400, 'invalid_grant']);
  // The other client and the other protocol go on.
  expect((await held.svcOnB()).status).toBe(200);
  expect((await held.oauth1OnB()).status).toBe(200);
  expect(kinds(await run('user', 'grants', held.user.username))).toEqual([`oauth1 oauth1_session ${consumer.key}`, 'oauth2 access_token svc']);
});

test('user revoke --consumer ends the OAuth 1.0a sessions of that consumer only, on every node', async () => {
  const held = await userWithGrants();
  await run('user', 'revoke', held.user.username, '--consumer', consumer.key);

  const gone = await eventually(held.oauth1OnB, refused, NOTICED_WITHIN_MS);
  expect([gone.status, gone.form.oauth_problem]).toEqual([401, 'token_revoked']);
  expect((await held.webOnB()).status).toBe(200);
  expect(kinds(await run('user', 'grants', held.user.username))).not.toContain(`oauth1 oauth1_session ${consumer.key}`);
});

test('user revoke ends everything of the user on every node; the user may sign in again', async () => {
  const held = await userWithGrants();
  await run('user', 'revoke', held.user.username);

  for (const check of [held.webOnB, held.svcOnB, held.oauth1OnB]) expect((await eventually(check, refused, NOTICED_WITHIN_MS)).status).toBe(401);
  expect(await run('user', 'grants', held.user.username)).toEqual([]);
  expect((await held.password(web)).status).toBe(200);
});

test('user revoke refuses both filters at once, an unknown user and an unknown client', async () => {
  const held = await userWithGrants();
  const both = await cli.run('user', 'revoke', held.user.username, '--client', 'web', '--consumer', consumer.key);
  expect(both.code).not.toBe(0);
  expect(both.stderr).toContain('not both');
  const unknownUser = await cli.run('user', 'grants', 'nobody-here');
  expect([unknownUser.code !== 0, unknownUser.stderr.includes('unknown user')]).toEqual([true, true]);
  const unknownClient = await cli.run('user', 'revoke', held.user.username, '--client', 'no-such-client');
  expect([unknownClient.code !== 0, unknownClient.stderr.includes('unknown client')]).toEqual([true, true]);
  // Nothing was revoked by the refused commands.
  expect((await held.webOnB()).status).toBe(200);
});

test('an OAuth 1.0a session ended by the migration bridge on node A is refused by node B at once', async () => {
  const { client } = await a.fixtures.client({ id: `bridge-${randomBytes(3).toString('hex')}`, name: 'Bridge', grants: 'refresh_token,token_exchange', scopes: 'read' });
  const linked = await a.consumer({ name: 'Linked', xauth: true });
  await run('consumer', 'link', linked.key, '--client', client.clientId);
  const user = { username: `bridged-${++users}`, password: 'a-long-password' };
  await a.fixtures.user(user.username, user.password);
  const { token } = await xauthAccess(new OAuth1Client(a, linked, 'HMAC-SHA1', 'header'), user);
  const onB = () => new OAuth1Client(b, linked, 'HMAC-SHA1', 'header').whoami(token);
  expect((await onB()).status).toBe(200); // cached on node B now

  const exchanged = await new OAuth1Client(a, linked, 'HMAC-SHA1', 'header').send(
    'POST', '/oauth2/token',
    { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: token.key, subject_token_type: 'urn:oauth-gateway:params:oauth:token-type:oauth1-access-token', end_oauth1_session: 'true' },
    token,
  );
  expect(exchanged.status).toBe(200);
  const issued = JSON.parse(exchanged.text);
  a.remember(issued.access_token, issued.refresh_token);
  expect((await eventually(onB, refused, NOTICED_WITHIN_MS)).form.oauth_problem).toBe('token_revoked');
  expect((await bearerOn(b, issued.access_token)()).status).toBe(200);
  expect(kinds(await run('user', 'grants', user.username))).toEqual([`oauth2 token_family ${client.clientId}`]);
});
