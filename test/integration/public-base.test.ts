import { startOAuth1Gateway, parseFormBody, OAuth1Client, type OAuth1Gateway } from '../helpers/oauth1';
import { form } from '../helpers/gateway';
import { rawRequest } from '../helpers/upstream';

// A spoofed Host header must not steer the URLs the gateway hands out (issuer, metadata, iss,
// verification_uri, xoauth_user_auth_url): they would poison caches and point users at a phisher.
const evilHost = 'evil.example';

let gw: OAuth1Gateway;
afterEach(async () => gw?.close());

async function getWithHost(path: string, host = evilHost) {
  return rawRequest(gw.url, { path, headers: { host } });
}

test('metadata names the listen address, not a spoofed Host, when no public URL is configured', async () => {
  gw = await startOAuth1Gateway();
  const res = await getWithHost('/.well-known/oauth-authorization-server');
  expect(res.status).toBe(200);
  const metadata = JSON.parse(res.body.toString());
  expect(metadata.issuer).toBe(gw.url);
  expect(metadata.token_endpoint).toBe(`${gw.url}/oauth2/token`);
  expect(res.body.toString()).not.toContain(evilHost);
});

test('metadata names the configured public URL whatever the Host header says', async () => {
  gw = await startOAuth1Gateway({ config: { server: { publicUrl: 'https://api.example.com/gw' } } });
  const metadata = JSON.parse((await getWithHost('/.well-known/oauth-authorization-server')).body.toString());
  expect(metadata.issuer).toBe('https://api.example.com/gw');
  expect(metadata.authorization_endpoint).toBe('https://api.example.com/gw/oauth2/authorize');
});

test("a trusted proxy's X-Forwarded-Host names the public base; an untrusted peer's does not", async () => {
  gw = await startOAuth1Gateway({ config: { server: { trustedProxies: ['127.0.0.1'] } } });
  const viaProxy = await rawRequest(gw.url, {
    path: '/.well-known/oauth-authorization-server',
    headers: { host: 'internal:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' },
  });
  expect(JSON.parse(viaProxy.body.toString()).issuer).toBe('https://api.example.com');
  await gw.close();

  gw = await startOAuth1Gateway();
  const direct = await rawRequest(gw.url, {
    path: '/.well-known/oauth-authorization-server',
    headers: { host: evilHost, 'x-forwarded-proto': 'https', 'x-forwarded-host': evilHost },
  });
  expect(JSON.parse(direct.body.toString()).issuer).toBe(gw.url);
});

test('the device verification_uri ignores a spoofed Host header', async () => {
  gw = await startOAuth1Gateway();
  await gw.fixtures.client({ id: 'tv', name: 'TV', grants: 'urn:ietf:params:oauth:grant-type:device_code', public: true });
  const body = form({ client_id: 'tv' });
  const res = await rawRequest(gw.url, {
    method: 'POST',
    path: '/oauth2/device_authorization',
    headers: { ...body.headers, host: evilHost, 'content-length': String(Buffer.byteLength(body.body)) },
    body: body.body,
  });
  expect(res.status).toBe(200);
  const answer = JSON.parse(res.body.toString());
  expect(answer.verification_uri).toBe(`${gw.url}/device`);
  expect(answer.verification_uri_complete.startsWith(`${gw.url}/device?`)).toBe(true);
});

test('xoauth_user_auth_url ignores a spoofed Host header while the signature still covers the Host the client used', async () => {
  gw = await startOAuth1Gateway();
  const consumer = await gw.consumer();
  // The client signs for the host it believes it talks to; the gateway checks it against that Host.
  const spoofedBase = { ...gw, url: `http://${evilHost}` } as OAuth1Gateway;
  const prepared = new OAuth1Client(spoofedBase, consumer).prepare('POST', '/oauth/request_token', { oauth_callback: 'oob' });
  const res = await rawRequest(gw.url, { method: 'POST', path: '/oauth/request_token', headers: { ...(prepared.init.headers as Record<string, string>), host: evilHost } });
  expect(res.status).toBe(200);
  const answer = parseFormBody(res.body.toString());
  expect(answer.xoauth_user_auth_url.startsWith(`${gw.url}/oauth/user_auth?oauth_token=`)).toBe(true);
});
