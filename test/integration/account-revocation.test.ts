import { randomBytes } from 'node:crypto';
import { disableClient, disableConsumer, setUserEnabled, setUserPassword, type AdminContext } from '../../src/accounts/admin';
import { RedisCache } from '../../src/cache';
import { systemClock } from '../../src/clock';
import { SecretBox } from '../../src/crypto';
import { openStore, type Store } from '../../src/storage';
import { Browser, authorizePath, decide, openAuthorization, queryOf } from '../helpers/browser';
import { cliRunner } from '../helpers/cli';
import { basicAuth, form, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';
import { OAuth1Client, startOAuth1Gateway, tokenOf, type ConsumerCredentials, type OAuth1Gateway, type Token } from '../helpers/oauth1';
import { POSTGRES_URL } from '../helpers/postgres';
import { eventually } from '../helpers/redis';

// `user passwd`, `user disable`, `client disable` and `consumer disable` take back at once what the
// account was given: OAuth 2.0 tokens and refresh families, OAuth 1.0a tokens and sessions,
// unused authorization codes, remembered consents and browser sign-ins, on every node, the
// verified-token caches included. The command runs in its own process (the real CLI on
// SQLite with the memory cache, which cannot reach a running gateway's memory; the admin code the
// CLI uses on PostgreSQL with Redis), and two gateway nodes share the database: node B has the
// credentials cached, so only the revocation log (read about once a second, woken by Redis when
// there is one) can tell it.

jest.setTimeout(60_000);

const callback = 'https://app.example/cb';
// Long enough for a loaded machine; a cached credential used to live for a minute.
const NOTICED_WITHIN_MS = 8_000;

interface Operator {
  run(command: 'user passwd' | 'user disable' | 'client disable' | 'consumer disable', name: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

/** The real CLI in its own context: its own store and (memory) cache, the deployment's data dir and key. */
function cliOperator(a: TestGateway): Operator {
  const cli = cliRunner({ GATEWAY_DATA_DIR: a.shared.dataDir as string, GATEWAY_SECRET_KEY: a.shared.secretKey.toString('hex') });
  return {
    async run(command, name, password) {
      const args = [...command.split(' '), name, ...(password ? ['--password', password] : []), '--json'];
      const result = await cli.run(...args);
      expect([result.code, result.stderr]).toEqual([0, '']);
    },
    close: async () => cli.cleanup(),
  };
}

/** The admin code the CLI uses, with a store and a Redis connection of its own. */
async function adminOperator(a: TestGateway): Promise<Operator> {
  const store: Store = await openStore({ databaseUrl: POSTGRES_URL, dataDir: a.shared.dataDir as string, schema: a.shared.schema?.schema });
  const cache = new RedisCache({ url: a.shared.redisUrl, keyPrefix: a.shared.keyPrefix as string });
  const ctx: AdminContext = { store, secrets: new SecretBox(a.shared.secretKey), clock: systemClock, cache };
  return {
    async run(command, name, password) {
      if (command === 'user passwd') await setUserPassword(ctx, name, password);
      else if (command === 'user disable') await setUserEnabled(ctx, name, false);
      else if (command === 'client disable') await disableClient(ctx, name);
      else await disableConsumer(ctx, name);
    },
    async close() {
      await cache.close();
      await store.close();
    },
  };
}

describe.each([
  ['SQLite and the memory cache, the real CLI', { database: 'sqlite', cache: 'memory' }],
  ['PostgreSQL and Redis, the admin code', { database: 'postgres', cache: 'redis' }],
] as const)('%s', (_name, options) => {
  let a: OAuth1Gateway;
  let b: OAuth1Gateway;
  let operator: Operator;
  let consumer: ConsumerCredentials;
  let webSecret: string;
  let users = 0;

  beforeAll(async () => {
    a = await startOAuth1Gateway(options);
    b = await startOAuth1Gateway({ sharing: a });
    operator = options.database === 'sqlite' ? cliOperator(a) : await adminOperator(a);
    webSecret = (await a.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code,password,refresh_token', redirectUris: [callback], scopes: 'read' })).secret!;
    consumer = await a.consumer({ name: 'Mobile', xauth: true });
  });

  afterAll(async () => {
    await operator?.close();
    await b?.close();
    await a?.close();
  });

  /** A new user holding every kind of credential, with the bearer and OAuth 1.0a tokens cached on node B. */
  async function userWithEverything(client = { id: 'web', secret: webSecret }, oauth1 = consumer) {
    const user = { username: `user-${++users}-${randomBytes(3).toString('hex')}`, password: `password-${users}-long` };
    await a.fixtures.user(user.username, user.password);

    const tokenRequest = (values: Record<string, string>) => {
      const f = form(values);
      return a.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(client.id, client.secret) } });
    };
    const issued = await tokenRequest({ grant_type: 'password', username: user.username, password: user.password });
    expect(issued.status).toBe(200);
    const bearer = { access: issued.json.access_token as string, refresh: issued.json.refresh_token as string };

    const signer = new OAuth1Client(a, oauth1, 'HMAC-SHA1', 'body');
    const xauth = await signer.send('POST', '/oauth/xauth_access_token', { x_auth_username: user.username, x_auth_password: user.password, x_auth_mode: 'client_auth' });
    expect(xauth.status).toBe(200);
    b.remember(xauth.form.oauth_token, xauth.form.oauth_token_secret, xauth.form.oauth_session_handle);
    const oauth1Token: Token = tokenOf(xauth.form);
    const sessionHandle = xauth.form.oauth_session_handle;

    // A browser signs in on node A and allows `web`: the consent is remembered, a code is issued (not yet used).
    const browser = new Browser(a.url);
    const approved = await decide(browser, await openAuthorization(browser, { client_id: client.id, response_type: 'code', redirect_uri: callback, scope: 'read', state: 's' }, user), 'approve');
    expect(approved.status).toBe(303);
    const code = queryOf(approved.location).get('code') as string;
    a.remember(code);

    // Node B verifies both tokens and keeps them: the second use touches no database.
    const onB = bearerOn(b, bearer.access);
    const oauth1OnB = () => new OAuth1Client(b, oauth1, 'HMAC-SHA1', 'body').whoami(oauth1Token);
    expect((await onB()).status).toBe(200);
    expect((await oauth1OnB()).status).toBe(200);
    const calls = b.storeCalls();
    expect((await onB()).status).toBe(200);
    expect((await oauth1OnB()).status).toBe(200);
    expect(b.storeCalls()).toBe(calls);

    return { user, bearer, oauth1Token, sessionHandle, browser, code, onB, oauth1OnB, tokenRequest, signer };
  }

  const bearerOn = (gw: TestGateway, token: string) => () => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${token}` } });
  const refused = (status: number) => status === 401;
  const silentAuthorize = (browser: Browser, gw: TestGateway) =>
    browser.get(gw.url + authorizePath({ client_id: 'web', response_type: 'code', redirect_uri: callback, scope: 'read', state: 's', prompt: 'none' }));

  async function expectUserCredentialsGone(held: Awaited<ReturnType<typeof userWithEverything>>) {
    // Node B stops accepting its cached copies on its own.
    expect((await eventually(held.onB, (r) => refused(r.status), NOTICED_WITHIN_MS)).status).toBe(401);
    expect((await eventually(held.oauth1OnB, (r) => refused(r.status), NOTICED_WITHIN_MS)).status).toBe(401);
    // The refresh token, the session handle and the unused code no longer work (on either node).
    const refreshed = await held.tokenRequest({ grant_type: 'refresh_token', refresh_token: held.bearer.refresh });
    expect([refreshed.status, refreshed.json.error]).toEqual([400, 'invalid_grant']);
    const renewed = await new OAuth1Client(b, consumer, 'HMAC-SHA1', 'body').refresh(held.oauth1Token, held.sessionHandle);
    expect(renewed.status).toBe(401);
    expect(renewed.form.oauth_token).toBeUndefined();
    const exchanged = await held.tokenRequest({ grant_type: 'authorization_code', code: held.code, redirect_uri: callback });
    expect([exchanged.status, exchanged.json.error]).toEqual([400, 'invalid_grant']);
  }

  test('user passwd ends every token, session handle, code, consent and browser sign-in of the user', async () => {
    const held = await userWithEverything();
    const newPassword = 'a-new-password-1';
    a.remember(newPassword);
    await operator.run('user passwd', held.user.username, newPassword);

    await expectUserCredentialsGone(held);
    // The browser's sign-in from before no longer signs anyone in, not even silently (prompt=none),
    // on any node that shares the session (with Redis, node B too).
    const silent = await silentAuthorize(held.browser, options.cache === 'redis' ? b : a);
    expect(queryOf(silent.location).get('error')).toBe('login_required');
    // Signed in again with the new password, the consent must be given again.
    const again = new Browser(a.url);
    const page = await openAuthorization(again, { client_id: 'web', response_type: 'code', redirect_uri: callback, scope: 'read', state: 's' }, { username: held.user.username, password: newPassword });
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="decision" value="approve"');
    // New credentials work.
    const fresh = await held.tokenRequest({ grant_type: 'password', username: held.user.username, password: newPassword });
    expect(fresh.status).toBe(200);
    expect((await bearerOn(b, fresh.json.access_token)()).status).toBe(200);
  });

  test('user disable ends every token, session handle, code, consent and browser sign-in of the user', async () => {
    const held = await userWithEverything();
    await operator.run('user disable', held.user.username);

    await expectUserCredentialsGone(held);
    const silent = await silentAuthorize(held.browser, a);
    expect(queryOf(silent.location).get('error')).toBe('login_required');
    const userId = (await a.deps.store.users.findByUsername(held.user.username))!.id;
    expect(await a.deps.store.consents.find(userId, 'web')).toBeNull();
  });

  test('client disable ends its tokens on every node and forgets the consents given to it', async () => {
    const created = await a.fixtures.client({ id: `svc-${randomBytes(3).toString('hex')}`, name: 'Service', grants: 'authorization_code,password,refresh_token', redirectUris: [callback], scopes: 'read' });
    const held = await userWithEverything({ id: created.client.clientId, secret: created.secret! });
    const userId = (await a.deps.store.users.findByUsername(held.user.username))!.id;
    expect(await a.deps.store.consents.find(userId, created.client.clientId)).not.toBeNull();

    await operator.run('client disable', created.client.clientId);

    expect((await eventually(held.onB, (r) => refused(r.status), NOTICED_WITHIN_MS)).status).toBe(401);
    expect(await a.deps.store.consents.find(userId, created.client.clientId)).toBeNull();
    // The token request goes to node A, whose cached client row is dropped when A's own revocation
    // feed reads the disable (at once with Redis, within about a second without): until then the
    // client still authenticates there and the refresh token, revoked in the database, is refused
    // as invalid_grant (400). Nothing is issued meanwhile; afterwards the client itself is refused.
    const refreshed = await eventually(() => held.tokenRequest({ grant_type: 'refresh_token', refresh_token: held.bearer.refresh }), (r) => r.status !== 400, NOTICED_WITHIN_MS);
    expect([refreshed.status, refreshed.json.error]).toEqual([401, 'invalid_client']);
    // The user's OAuth 1.0a token (another consumer) is untouched.
    expect((await held.oauth1OnB()).status).toBe(200);
  });

  test('consumer disable ends its tokens and sessions on every node', async () => {
    const own = await a.consumer({ name: `Legacy ${randomBytes(3).toString('hex')}`, xauth: true });
    const held = await userWithEverything(undefined, own);

    await operator.run('consumer disable', own.key);

    expect((await eventually(held.oauth1OnB, (r) => refused(r.status), NOTICED_WITHIN_MS)).status).toBe(401);
    const renewed = await new OAuth1Client(b, own, 'HMAC-SHA1', 'body').refresh(held.oauth1Token, held.sessionHandle);
    expect([renewed.status, renewed.form.oauth_problem]).toEqual([401, 'consumer_key_rejected']);
    const session = await a.deps.store.oauth1Sessions.find((await import('../../src/crypto')).tokenDigest(held.sessionHandle));
    expect(session?.revokedAt).not.toBeNull();
    // The user's OAuth 2.0 token is untouched.
    expect((await held.onB()).status).toBe(200);
  });

  test('no password, secret or token of these tests appears in the logs of either node', async () => {
    const logsA = logWindow(a);
    const logsB = logWindow(b);
    const held = await userWithEverything();
    const newPassword = 'a-logged-password-1';
    a.remember(newPassword);
    await operator.run('user passwd', held.user.username, newPassword);
    await expectUserCredentialsGone(held);
    expect(logsA.text()).toContain('/oauth2/token');
    expect(logsB.text()).toContain('/oauth2/whoami');
    expect(logsA.leakedSecrets(b.secrets())).toEqual([]);
    expect(logsB.leakedSecrets(a.secrets())).toEqual([]);
  });
});
