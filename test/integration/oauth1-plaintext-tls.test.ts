import {
  Browser,
  OAuth1Client,
  authorizeInBrowser,
  readVerifier,
  startOAuth1Gateway,
  tokenOf,
  type ConsumerCredentials,
  type OAuth1Gateway,
  type Token,
} from '../helpers/oauth1';
import { logWindow } from '../helpers/log-window';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// RFC 5849 section 3.4.4: PLAINTEXT puts the secrets themselves on the wire, so it is only for TLS.
// Over plain http every OAuth 1.0a endpoint and every signed request through the gateway refuse it
// with signature_method_rejected, unless the public URL is https, a trusted proxy says the client
// used https, or the development setting oauth1.plaintextOverHttp is on. HMAC-SHA1 is unaffected.

const alice = { username: 'alice', password: 'alice-password-1' };
const xauth = { x_auth_username: alice.username, x_auth_password: alice.password, x_auth_mode: 'client_auth' };
const overHttps = { headers: { 'x-forwarded-proto': 'https' } };

function expectTlsRefusal(result: { status: number; form: Record<string, string> }): void {
  expect([result.status, result.form.oauth_problem]).toEqual([400, 'signature_method_rejected']);
  expect(result.form.oauth_problem_advice).toMatch(/PLAINTEXT.*TLS|TLS.*PLAINTEXT/);
  // What this connection may use instead: the default list without PLAINTEXT.
  expect(result.form.oauth_acceptable_signature_methods).toBe('HMAC-SHA1&HMAC-SHA256&HMAC-SHA512&RSA-SHA1');
}

describe('over plain http, with default settings', () => {
  let gw: OAuth1Gateway;
  let upstream: TestUpstream;
  let consumer: ConsumerCredentials;
  let hmac: OAuth1Client;
  let plaintext: OAuth1Client;

  beforeAll(async () => {
    upstream = await startUpstream('api');
    gw = await startOAuth1Gateway({ config: { routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth1'] }] } });
    await gw.fixtures.user(alice.username, alice.password);
    consumer = await gw.consumer({ name: 'Legacy', xauth: true });
    hmac = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header');
    plaintext = new OAuth1Client(gw, consumer, 'PLAINTEXT', 'header');
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });

  async function hmacAccess(): Promise<{ token: Token; sessionHandle: string }> {
    const result = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body').send('POST', '/oauth/xauth_access_token', xauth);
    expect(result.status).toBe(200);
    gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
    return { token: tokenOf(result.form), sessionHandle: result.form.oauth_session_handle };
  }

  test('request_token refuses PLAINTEXT and issues nothing', async () => {
    const result = await plaintext.send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
    expectTlsRefusal(result);
    expect(result.form.oauth_token).toBeUndefined();
  });

  test('access_token refuses PLAINTEXT, and the request token still works with HMAC-SHA1', async () => {
    const { token, authUrl } = await hmac.requestToken('oob');
    const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice);
    const verifier = readVerifier(answer.text);
    gw.remember(verifier);
    expectTlsRefusal(await plaintext.accessToken(token, verifier));
    expect((await hmac.accessToken(token, verifier)).status).toBe(200);
  });

  test('refresh_access_token refuses PLAINTEXT', async () => {
    const { token, sessionHandle } = await hmacAccess();
    expectTlsRefusal(await plaintext.refresh(token, sessionHandle));
    expect((await hmac.whoami(token)).status).toBe(200);
  });

  test('xauth_access_token refuses PLAINTEXT', async () => {
    const result = await new OAuth1Client(gw, consumer, 'PLAINTEXT', 'body').send('POST', '/oauth/xauth_access_token', xauth);
    expectTlsRefusal(result);
  });

  test('xauth_access_token refuses PLAINTEXT without nonce and timestamp (the curl shape)', async () => {
    const res = await fetch(`${gw.url}/oauth/xauth_access_token`, {
      method: 'POST',
      headers: {
        authorization: `OAuth oauth_consumer_key="${consumer.key}", oauth_signature_method="PLAINTEXT", oauth_signature="${consumer.secret}%26"`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(xauth).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^oauth_problem=signature_method_rejected&/);
  });

  test('a signed resource request (whoami) refuses PLAINTEXT', async () => {
    const { token } = await hmacAccess();
    expectTlsRefusal(await plaintext.whoami(token));
    expect((await hmac.whoami(token)).status).toBe(200);
  });

  test('a signed request through the gateway refuses PLAINTEXT and reaches no upstream', async () => {
    const { token } = await hmacAccess();
    const before = upstream.seen.length;
    expectTlsRefusal(await plaintext.send('GET', '/api/posts', {}, token));
    expect(upstream.seen.length).toBe(before);
    expect((await hmac.send('GET', '/api/posts', {}, token)).status).toBe(200);
  });

  test('X-Forwarded-Proto: https from a peer that is not a trusted proxy changes nothing', async () => {
    const result = await plaintext.send('POST', '/oauth/request_token', { oauth_callback: 'oob' }, undefined, overHttps);
    expectTlsRefusal(result);
  });

  test('Forwarded: proto=https from a peer that is not a trusted proxy changes nothing', async () => {
    const result = await plaintext.send('POST', '/oauth/request_token', { oauth_callback: 'oob' }, undefined, { headers: { forwarded: 'proto=https' } });
    expectTlsRefusal(result);
  });

  test('the refused PLAINTEXT signatures (the secrets themselves) reach no log line and no answer', async () => {
    const { token } = await hmacAccess();
    const logs = logWindow(gw);
    const result = await plaintext.whoami(token);
    expectTlsRefusal(result);
    expect(result.text).not.toContain(consumer.secret);
    expect(result.text).not.toContain(token.secret);
    expect(logs.text()).toContain('signature_method_rejected');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});

test('with an https public URL, PLAINTEXT is accepted on every kind of request', async () => {
  const gw = await startOAuth1Gateway({ config: { server: { publicUrl: 'https://gateway.example' } } });
  try {
    await gw.fixtures.user(alice.username, alice.password);
    const consumer = await gw.consumer({ name: 'WebEx-style', xauth: true });
    const client = new OAuth1Client(gw, consumer, 'PLAINTEXT', 'body');
    const requested = await client.requestToken('oob');
    expect(requested.result.status).toBe(200);
    const access = await client.send('POST', '/oauth/xauth_access_token', xauth);
    expect(access.status).toBe(200);
    gw.remember(access.form.oauth_token, access.form.oauth_token_secret, access.form.oauth_session_handle);
    const me = await client.whoami(tokenOf(access.form));
    expect([me.status, me.json?.username]).toEqual([200, 'alice']);
    const refreshed = await client.refresh(tokenOf(access.form), access.form.oauth_session_handle);
    expect(refreshed.status).toBe(200);
  } finally {
    await gw.close();
  }
});

describe('behind a trusted proxy (loopback)', () => {
  let gw: OAuth1Gateway;
  let consumer: ConsumerCredentials;

  beforeAll(async () => {
    gw = await startOAuth1Gateway({ config: { server: { trustedProxies: ['127.0.0.1'] } } });
    await gw.fixtures.user(alice.username, alice.password);
    consumer = await gw.consumer({ name: 'Behind TLS', xauth: true });
  });
  afterAll(() => gw.close());

  test('PLAINTEXT is accepted when the proxy says X-Forwarded-Proto: https', async () => {
    const client = new OAuth1Client(gw, consumer, 'PLAINTEXT', 'body');
    const access = await client.send('POST', '/oauth/xauth_access_token', xauth, undefined, overHttps);
    expect(access.status).toBe(200);
    gw.remember(access.form.oauth_token, access.form.oauth_token_secret, access.form.oauth_session_handle);
    expect((await client.whoami(tokenOf(access.form), overHttps)).status).toBe(200);
  });

  test('PLAINTEXT is accepted when the proxy says Forwarded: proto=https', async () => {
    const client = new OAuth1Client(gw, consumer, 'PLAINTEXT', 'header');
    const result = await client.send('POST', '/oauth/request_token', { oauth_callback: 'oob' }, undefined, { headers: { forwarded: 'for=192.0.2.1;proto=https' } });
    expect(result.status).toBe(200);
  });

  test('PLAINTEXT is refused when the proxy says the client used http', async () => {
    const client = new OAuth1Client(gw, consumer, 'PLAINTEXT', 'header');
    const result = await client.send('POST', '/oauth/request_token', { oauth_callback: 'oob' }, undefined, { headers: { 'x-forwarded-proto': 'http' } });
    expectTlsRefusal(result);
  });
});

test('oauth1.plaintextOverHttp (local development) accepts PLAINTEXT over plain http', async () => {
  const gw = await startOAuth1Gateway({ config: { oauth1: { plaintextOverHttp: true } } });
  try {
    await gw.fixtures.user(alice.username, alice.password);
    const consumer = await gw.consumer({ name: 'Dev', xauth: true });
    const client = new OAuth1Client(gw, consumer, 'PLAINTEXT', 'header');
    expect((await client.requestToken('oob')).result.status).toBe(200);
  } finally {
    await gw.close();
  }
});

test('with only PLAINTEXT configured, plain http leaves no acceptable method and says so', async () => {
  const gw = await startOAuth1Gateway({ config: { oauth1: { signatureMethods: ['PLAINTEXT'] } } });
  try {
    const consumer = await gw.consumer({ name: 'Plain only' });
    const result = await new OAuth1Client(gw, consumer, 'PLAINTEXT', 'header').send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
    expect([result.status, result.form.oauth_problem]).toEqual([400, 'signature_method_rejected']);
    expect(result.form.oauth_problem_advice).toMatch(/TLS/);
  } finally {
    await gw.close();
  }
});
