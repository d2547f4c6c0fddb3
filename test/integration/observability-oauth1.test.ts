import { form } from '../helpers/gateway';
import { counterValue } from '../helpers/metrics';
import { logWindow, type LogWindow } from '../helpers/log-window';
import { OAuth1Client, startOAuth1Gateway, tokenOf, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';

// Issue 19 items 1 and 2 for OAuth 1.0a and ClearPass: a refusal at an OAuth 1.0a token endpoint is
// counted in gateway_oauth_errors_total under the consumer's key when the store holds that consumer
// (else "unknown"), and the access lines of request_token, access_token, xauth_access_token and
// refresh_access_token name the consumerKey (never a secret); ClearPass's /api/oauth names clientId.

const alice = { username: 'alice', password: 'alice-password-1' };

let gw: OAuth1Gateway;
let consumer: ConsumerCredentials;

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  const staff = await gw.fixtures.profile('Staff', ['api_access']);
  await gw.fixtures.user(alice.username, alice.password, { profile: staff });
  await gw.fixtures.client({ id: 'quick', name: 'Quick', grants: 'password', public: true, profile: 'Staff' });
  consumer = await gw.consumer({ name: 'Mobile', xauth: true });
});

afterAll(async () => {
  await gw?.close();
});

/** The access lines (msg "request") of one endpoint written in the window. */
function accessLines(window: LogWindow, route: string): any[] {
  return window
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((l) => l.msg === 'request' && l.route === route);
}

const errors = (endpoint: string, error: string, client: string) => counterValue(gw, 'gateway_oauth_errors_total', { endpoint, error, client });

const xauth = (client: OAuth1Client, password = alice.password) =>
  client.send('POST', '/oauth/xauth_access_token', { x_auth_username: alice.username, x_auth_password: password, x_auth_mode: 'client_auth' });

describe('OAuth 1.0a endpoints', () => {
  test('request_token: the access line names the consumer; a bad signature is counted under its key, and named in the line', async () => {
    const window = logWindow(gw);
    const good = new OAuth1Client(gw, consumer);
    expect((await good.requestToken()).result.status).toBe(200);
    const before = await errors('oauth1.request_token', 'signature_invalid', consumer.key);
    const forged = new OAuth1Client(gw, { key: consumer.key, secret: 'not-the-consumer-secret' });
    expect((await forged.send('POST', '/oauth/request_token', { oauth_callback: 'oob' })).status).toBe(401);
    expect(await errors('oauth1.request_token', 'signature_invalid', consumer.key)).toBe(before + 1);
    const [ok, refused] = accessLines(window, 'oauth1.request_token');
    expect(ok).toMatchObject({ status: 200, consumerKey: consumer.key });
    expect(refused).toMatchObject({ status: 401, consumerKey: consumer.key, error: 'signature_invalid' });
    expect(window.leakedSecrets(['not-the-consumer-secret'])).toEqual([]);
  });

  test('a consumer key the store does not hold is counted as "unknown"; the line names the key the request sent', async () => {
    const window = logWindow(gw);
    const before = await errors('oauth1.request_token', 'consumer_key_unknown', 'unknown');
    const stranger = new OAuth1Client(gw, { key: 'made-up-consumer-7', secret: 'whatever-secret' });
    expect((await stranger.send('POST', '/oauth/request_token', { oauth_callback: 'oob' })).status).toBe(401);
    expect(await errors('oauth1.request_token', 'consumer_key_unknown', 'unknown')).toBe(before + 1);
    expect(accessLines(window, 'oauth1.request_token')).toEqual([expect.objectContaining({ status: 401, consumerKey: 'made-up-consumer-7', error: 'consumer_key_unknown' })]);
    // A key nobody registered never becomes a label.
    expect((await gw.request('/metrics')).text).not.toContain('made-up-consumer-7');
  });

  test('a key longer than any consumer key is not copied into the access line', async () => {
    const window = logWindow(gw);
    const long = 'k'.repeat(300);
    const stranger = new OAuth1Client(gw, { key: long, secret: 'whatever-secret' });
    expect((await stranger.send('POST', '/oauth/request_token', { oauth_callback: 'oob' })).status).toBe(401);
    const [line] = accessLines(window, 'oauth1.request_token');
    expect(line).toMatchObject({ status: 401, error: 'consumer_key_unknown' });
    expect(line).not.toHaveProperty('consumerKey');
  });

  test('access_token: a request token the gateway never issued is refused under the consumer key', async () => {
    const window = logWindow(gw);
    const before = await errors('oauth1.access_token', 'token_rejected', consumer.key);
    const res = await new OAuth1Client(gw, consumer).send('POST', '/oauth/access_token', { oauth_verifier: 'ABCD-EFGH' }, { key: 'no-such-request-token', secret: 'x' });
    expect(res.status).toBe(401);
    expect(await errors('oauth1.access_token', 'token_rejected', consumer.key)).toBe(before + 1);
    expect(accessLines(window, 'oauth1.access_token')).toEqual([expect.objectContaining({ status: 401, consumerKey: consumer.key, error: 'token_rejected' })]);
  });

  test('xauth_access_token and refresh_access_token: issued and refused requests name the consumer', async () => {
    const window = logWindow(gw);
    const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body');
    const issued = await xauth(client);
    expect(issued.status).toBe(200);
    gw.remember(issued.form.oauth_token, issued.form.oauth_token_secret, issued.form.oauth_session_handle);
    const refreshed = await client.refresh(tokenOf(issued.form), issued.form.oauth_session_handle);
    expect(refreshed.status).toBe(200);

    const error = 'permission_denied';
    const deniedBefore = await errors('oauth1.xauth_access_token', error, consumer.key);
    const wrongPassword = await xauth(client, 'not-alices-password');
    expect(wrongPassword.status).toBe(401);
    expect(await errors('oauth1.xauth_access_token', error, consumer.key)).toBe(deniedBefore + 1);

    const refreshRefusedBefore = await errors('oauth1.refresh_access_token', 'token_rejected', consumer.key);
    const badRefresh = await client.send('POST', '/oauth/refresh_access_token', { oauth_session_handle: 'no-such-handle' }, { key: 'no-such-access-token', secret: 'x' });
    expect(badRefresh.status).toBe(401);
    expect(await errors('oauth1.refresh_access_token', 'token_rejected', consumer.key)).toBe(refreshRefusedBefore + 1);

    expect(accessLines(window, 'oauth1.xauth_access_token')).toEqual([
      expect.objectContaining({ status: 200, consumerKey: consumer.key }),
      expect.objectContaining({ status: 401, consumerKey: consumer.key, error }),
    ]);
    expect(accessLines(window, 'oauth1.refresh_access_token')).toEqual([
      expect.objectContaining({ status: 200, consumerKey: consumer.key }),
      expect.objectContaining({ status: 401, consumerKey: consumer.key, error: 'token_rejected' }),
    ]);
    expect(window.leakedSecrets(['not-alices-password'])).toEqual([]);
  });
});

describe('ClearPass token endpoint (/api/oauth)', () => {
  const clearpass = (fields: Record<string, string>) => {
    const f = form(fields);
    return gw.request('/api/oauth', { method: 'POST', body: f.body, headers: { ...f.headers, accept: 'application/json' } });
  };

  test('issued and refused token requests name the clientId; refusals of a known client are labelled with it', async () => {
    const window = logWindow(gw);
    const ok = await clearpass({ grant_type: 'password', username: alice.username, password: alice.password, client_id: 'quick' });
    expect(ok.status).toBe(200);
    gw.remember(ok.json.access_token, ok.json.refresh_token);
    const known = await errors('clearpass.token', 'invalid_grant', 'quick');
    const wrong = await clearpass({ grant_type: 'password', username: alice.username, password: 'not-alices-password', client_id: 'quick' });
    expect(wrong.status).toBe(400);
    expect(await errors('clearpass.token', 'invalid_grant', 'quick')).toBe(known + 1);
    const stranger = await clearpass({ grant_type: 'password', username: alice.username, password: alice.password, client_id: 'made-up-client-9' });
    expect(stranger.status).toBe(400);
    expect(accessLines(window, 'clearpass.token')).toEqual([
      expect.objectContaining({ status: 200, clientId: 'quick' }),
      expect.objectContaining({ status: 400, clientId: 'quick', error: 'invalid_grant' }),
      expect.objectContaining({ status: 400, clientId: 'made-up-client-9', error: 'invalid_client' }),
    ]);
    expect((await gw.request('/metrics')).text).not.toContain('made-up-client-9');
    expect(window.leakedSecrets(['not-alices-password'])).toEqual([]);
  });
});
