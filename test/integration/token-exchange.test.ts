import { randomBytes } from 'node:crypto';
import { cliRunner } from '../helpers/cli';
import { basicAuth, form } from '../helpers/gateway';
import { OAuth1Client, startOAuth1Gateway, xauthAccess, type ConsumerCredentials, type OAuth1Gateway, type Token } from '../helpers/oauth1';

// RFC 8693 token exchange at /oauth2/token: the migration bridge (a linked OAuth 1.0a consumer
// trades its access token, in a request signed with it by the `oauth-1.0a` library, for OAuth 2.0
// tokens of the same user) and the exchange of the gateway's own access tokens for narrower ones.
// Links are made with the real CLI, on the gateway's own SQLite file.

jest.setTimeout(60_000);

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const OAUTH1_TYPE = 'urn:oauth-gateway:params:oauth:token-type:oauth1-access-token';
const ACCESS_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

let gw: OAuth1Gateway;
let cli: ReturnType<typeof cliRunner>;
let modern: { id: string; secret: string };
let users = 0;

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  cli = cliRunner({ GATEWAY_DATA_DIR: gw.shared.dataDir as string, GATEWAY_SECRET_KEY: gw.shared.secretKey.toString('hex') });
  const created = await gw.fixtures.client({ id: 'modern', name: 'Modern App', grants: 'password,refresh_token,token_exchange', scopes: 'read,write' });
  modern = { id: 'modern', secret: created.secret as string };
});

afterAll(async () => {
  cli?.cleanup();
  await gw?.close();
});

afterEach(() => {
  expect(gw.leakedSecrets()).toEqual([]);
});

async function cli0(...args: string[]): Promise<any> {
  const result = await cli.run(...args, '--json');
  expect([result.code, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout);
}

/** A consumer (linked to `modern` unless told otherwise) and a user with an OAuth 1.0a session through xAuth. */
async function legacySession(options: { link?: boolean } = {}) {
  const consumer: ConsumerCredentials = await gw.consumer({ name: 'Legacy', xauth: true });
  if (options.link !== false) expect(await cli0('consumer', 'link', consumer.key, '--client', 'modern')).toEqual({ key: consumer.key, linkedClient: 'modern' });
  const user = { username: `bridged-${++users}-${randomBytes(3).toString('hex')}`, password: 'a-long-password' };
  await gw.fixtures.user(user.username, user.password);
  const signer = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header');
  const { token, sessionHandle } = await xauthAccess(signer, user);
  return { consumer, user, signer, token, sessionHandle };
}

/** The exchange, signed by the consumer with the OAuth 1.0a token (the library signs the form body too). */
async function exchange(signer: OAuth1Client, token: Token, extra: Record<string, string> = {}, nonce?: string) {
  const result = await signer.send('POST', '/oauth2/token', { grant_type: GRANT, subject_token: token.key, subject_token_type: OAUTH1_TYPE, ...extra }, token, nonce ? { nonce } : {});
  const json = JSON.parse(result.text);
  gw.remember(json.access_token, json.refresh_token);
  return { status: result.status, json, headers: result.headers };
}

const bearerWhoami = (accessToken: string) => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${accessToken}` } });

function tokenRequest(values: Record<string, string>, client = modern) {
  const f = form(values);
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(client.id, client.secret) } });
}

describe('the migration bridge: an OAuth 1.0a access token for OAuth 2.0 tokens', () => {
  test('the metadata announces the grant and the OAuth 1.0a subject token type', async () => {
    const metadata = await gw.request('/.well-known/oauth-authorization-server');
    expect(metadata.json.grant_types_supported).toContain(GRANT);
    expect(metadata.json.token_exchange_subject_token_types_supported).toEqual([ACCESS_TYPE, OAUTH1_TYPE]);
  });

  test('a linked consumer gets tokens of the same user for the linked client, usable and refreshable; its session ends', async () => {
    const { signer, token, user } = await legacySession();
    const exchanged = await exchange(signer, token, { end_oauth1_session: 'true', scope: 'read' });
    expect(exchanged.status).toBe(200);
    expect(exchanged.json).toMatchObject({ token_type: 'Bearer', issued_token_type: ACCESS_TYPE, scope: 'read' });
    expect(typeof exchanged.json.refresh_token).toBe('string');

    const me = await bearerWhoami(exchanged.json.access_token);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ protocol: 'oauth2', username: user.username, clientId: 'modern', scopes: ['read'] });

    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: exchanged.json.refresh_token });
    expect(refreshed.status).toBe(200);
    expect((await bearerWhoami(refreshed.json.access_token)).json.username).toBe(user.username);

    // The OAuth 1.0a token is refused at an OAuth 1.0a route now.
    const old = await signer.whoami(token);
    expect([old.status, old.form.oauth_problem]).toEqual([401, 'token_revoked']);
  });

  test('the OAuth 1.0a parameters may come in the form body too', async () => {
    const { consumer, token, user } = await legacySession();
    const inBody = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body');
    const exchanged = await exchange(inBody, token);
    expect(exchanged.status).toBe(200);
    expect((await bearerWhoami(exchanged.json.access_token)).json.username).toBe(user.username);
  });

  test('the token already exchanged, its session ended, is refused a second time', async () => {
    const { signer, token } = await legacySession();
    expect((await exchange(signer, token, { end_oauth1_session: 'true' })).status).toBe(200);
    const again = await exchange(signer, token, { end_oauth1_session: 'true' });
    expect([again.status, again.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('a replayed exchange (same nonce and timestamp) is refused, and the replay issues nothing', async () => {
    const { signer, token } = await legacySession();
    const nonce = `n-${randomBytes(8).toString('hex')}`;
    const first = await exchange(signer, token, {}, nonce);
    expect(first.status).toBe(200);
    const replayed = await exchange(signer, token, {}, nonce);
    expect([replayed.status, replayed.json.error]).toEqual([400, 'invalid_grant']);
    expect(replayed.json.access_token).toBeUndefined();
    expect(replayed.json.error_description).toContain('nonce_used');
    // Without end_oauth1_session the OAuth 1.0a session goes on.
    expect((await signer.whoami(token)).status).toBe(200);
  });

  test('the config default ends the session when the request does not say', async () => {
    const other = await startOAuth1Gateway({ config: { oauth2: { endOAuth1SessionOnExchange: true } } });
    try {
      await other.fixtures.client({ id: 'modern', name: 'Modern App', grants: 'refresh_token,token_exchange', scopes: 'read' });
      const consumer = await other.consumer({ name: 'Legacy', xauth: true });
      await other.deps.store.consumerLinks.link({ consumerKey: consumer.key, clientId: 'modern', createdAt: other.clock() });
      await other.fixtures.user('ada', 'a-long-password');
      const signer = new OAuth1Client(other, consumer, 'HMAC-SHA1', 'header');
      const { token } = await xauthAccess(signer, { username: 'ada', password: 'a-long-password' });
      const result = await signer.send('POST', '/oauth2/token', { grant_type: GRANT, subject_token: token.key, subject_token_type: OAUTH1_TYPE }, token);
      expect(result.status).toBe(200);
      other.remember(JSON.parse(result.text).access_token, JSON.parse(result.text).refresh_token);
      expect((await signer.whoami(token)).form.oauth_problem).toBe('token_revoked');
    } finally {
      await other.close();
    }
  });

  test('an unlinked consumer is refused, before linking and after unlinking', async () => {
    const { consumer, signer, token } = await legacySession({ link: false });
    const refused = await exchange(signer, token);
    expect([refused.status, refused.json.error]).toEqual([400, 'unauthorized_client']);

    await cli0('consumer', 'link', consumer.key, '--client', 'modern');
    const listed = (await cli0('consumer', 'list')).find((c: { key: string }) => c.key === consumer.key);
    expect(listed.linkedClient).toBe('modern');
    expect((await exchange(signer, token)).status).toBe(200);

    expect(await cli0('consumer', 'unlink', consumer.key)).toEqual({ key: consumer.key, linkedClient: null });
    const after = await exchange(signer, token);
    expect([after.status, after.json.error]).toEqual([400, 'unauthorized_client']);
  });

  test('a client not registered for token_exchange cannot be linked', async () => {
    await gw.fixtures.client({ id: `plain-${randomBytes(3).toString('hex')}`, name: 'Plain', grants: 'password' });
    const consumer = await gw.consumer({ name: 'Legacy' });
    const plain = (await gw.deps.store.clients.list()).find((c) => c.name === 'Plain')!.clientId;
    const result = await cli.run('consumer', 'link', consumer.key, '--client', plain);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('not registered for the token_exchange grant');
  });

  test('a bad signature is invalid_client; a subject_token other than the signing token is invalid_request', async () => {
    const { consumer, token } = await legacySession();
    const forger = new OAuth1Client(gw, { key: consumer.key, secret: 'not-the-secret' }, 'HMAC-SHA1', 'header');
    const forged = await exchange(forger, token);
    expect([forged.status, forged.json.error]).toEqual([401, 'invalid_client']);
    expect(forged.headers.get('www-authenticate')).toMatch(/^OAuth realm=/);

    const { signer, token: other } = await legacySession();
    const result = await signer.send('POST', '/oauth2/token', { grant_type: GRANT, subject_token: token.key, subject_token_type: OAUTH1_TYPE }, other);
    expect([result.status, JSON.parse(result.text).error]).toEqual([400, 'invalid_request']);
  });

  test('an OAuth 1.0a subject token in a request not signed with OAuth 1.0a is invalid_request', async () => {
    const { token } = await legacySession();
    const result = await tokenRequest({ grant_type: GRANT, subject_token: token.key, subject_token_type: OAUTH1_TYPE });
    expect([result.status, result.json.error]).toEqual([400, 'invalid_request']);
  });
});

describe("exchange of the gateway's own access tokens for narrower ones", () => {
  async function accessToken(scope = 'read write') {
    const user = { username: `narrow-${++users}`, password: 'a-long-password' };
    await gw.fixtures.user(user.username, user.password);
    const issued = await tokenRequest({ grant_type: 'password', username: user.username, password: user.password, scope });
    expect(issued.status).toBe(200);
    return issued.json as { access_token: string; expires_in: number };
  }

  const narrower = (subject: string, extra: Record<string, string> = {}, client = modern) =>
    tokenRequest({ grant_type: GRANT, subject_token: subject, subject_token_type: ACCESS_TYPE, ...extra }, client);

  test('a scope subset is issued, with issued_token_type, no refresh token and no longer life', async () => {
    const subject = await accessToken();
    const result = await narrower(subject.access_token, { scope: 'read' });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ token_type: 'Bearer', issued_token_type: ACCESS_TYPE, scope: 'read' });
    expect(result.json.refresh_token).toBeUndefined();
    expect(result.json.expires_in).toBeLessThanOrEqual(subject.expires_in);
    expect((await bearerWhoami(result.json.access_token)).json.scopes).toEqual(['read']);
  });

  test('a scope beyond the subject token is invalid_scope', async () => {
    const subject = await accessToken('read');
    const result = await narrower(subject.access_token, { scope: 'read write' });
    expect([result.status, result.json.error]).toEqual([400, 'invalid_scope']);
  });

  test('the audience may name the gateway itself; any other target is invalid_target', async () => {
    const subject = await accessToken();
    const issuer = (await gw.request('/.well-known/oauth-authorization-server')).json.issuer as string;
    expect((await narrower(subject.access_token, { audience: issuer })).status).toBe(200);
    expect((await narrower(subject.access_token, { resource: `${issuer}/api/things` })).status).toBe(200);
    const elsewhere = await narrower(subject.access_token, { audience: 'https://other.example' });
    expect([elsewhere.status, elsewhere.json.error]).toEqual([400, 'invalid_target']);
    const resource = await narrower(subject.access_token, { resource: 'https://other.example/api' });
    expect([resource.status, resource.json.error]).toEqual([400, 'invalid_target']);
  });

  test("another client's token, a revoked token and an unknown token are invalid_grant", async () => {
    const subject = await accessToken();
    const second = await gw.fixtures.client({ id: `second-${randomBytes(3).toString('hex')}`, name: 'Second', grants: 'token_exchange', scopes: 'read' });
    const foreign = await narrower(subject.access_token, {}, { id: second.client.clientId, secret: second.secret as string });
    expect([foreign.status, foreign.json.error]).toEqual([400, 'invalid_grant']);

    const f = form({ token: subject.access_token });
    expect((await gw.request('/oauth2/revoke', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(modern.id, modern.secret) } })).status).toBe(200);
    expect((await narrower(subject.access_token)).json.error).toBe('invalid_grant');
    expect((await narrower('no-such-token')).json.error).toBe('invalid_grant');
  });

  test('unsupported token types and delegation are invalid_request', async () => {
    const subject = await accessToken();
    const jwt = await narrower(subject.access_token, { subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' });
    expect([jwt.status, jwt.json.error]).toEqual([400, 'invalid_request']);
    const actor = await narrower(subject.access_token, { actor_token: subject.access_token, actor_token_type: ACCESS_TYPE });
    expect([actor.status, actor.json.error]).toEqual([400, 'invalid_request']);
    const missing = await tokenRequest({ grant_type: GRANT, subject_token: subject.access_token });
    expect([missing.status, missing.json.error]).toEqual([400, 'invalid_request']);
  });
});
