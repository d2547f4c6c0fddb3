import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';

// Bad input must get a protocol error, never a 500 or a stack trace. Every endpoint the gateway
// serves (and a proxied route whose upstream is down) is sent the same set of malformed requests.

const paths = [
  '/oauth/request_token',
  '/oauth/user_auth',
  '/oauth/authorize',
  '/oauth/access_token',
  '/oauth/refresh_access_token',
  '/oauth/xauth_access_token',
  '/oauth/whoami',
  '/oauth2/token',
  '/oauth2/authorize',
  '/oauth2/authorize/resume',
  '/oauth2/authorize/decision',
  '/oauth2/introspect',
  '/oauth2/revoke',
  '/oauth2/whoami',
  '/oauth2/device_authorization',
  '/oauth2/par',
  '/device',
  '/device/confirm',
  '/device/done',
  '/login',
  '/logout',
  '/account',
  '/account/revoke',
  '/account/sessions/end-others',
  '/account/password',
  '/console',
  '/console/grants',
  '/console/grants/revoke',
  '/console/audit',
  '/console/clients/disable',
  '/console/users/enable',
  '/console/consumers/delete',
  '/console/clients/rotate-secret',
  '/console/clients/new',
  '/console/consumers/edit',
  '/console/profiles/new',
  '/console/users/edit',
  '/console/sessions/end',
  '/assets/console.css',
  '/api/oauth',
  '/api/oauth/privileges',
  '/api/posts',
  '/.well-known/oauth-authorization-server',
  '/assets/gateway.css',
  '/metrics',
  '/readyz',
];

interface Probe {
  name: string;
  method: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const json = { 'content-type': 'application/json' };

const probes: Probe[] = [
  { name: 'plain GET', method: 'GET' },
  { name: 'plain POST', method: 'POST' },
  { name: 'PUT', method: 'PUT', headers: form, body: 'a=b' },
  { name: 'DELETE', method: 'DELETE' },
  { name: 'PATCH', method: 'PATCH', headers: json, body: '{}' },
  { name: 'OPTIONS from an origin', method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } },
  { name: 'truncated JSON', method: 'POST', headers: json, body: '{"grant_type":' },
  { name: 'JSON array', method: 'POST', headers: json, body: '[1,2,3]' },
  { name: 'JSON with nested values', method: 'POST', headers: json, body: '{"grant_type":{"$ne":1},"client_id":[1],"username":null}' },
  { name: 'JSON with a duplicated key', method: 'POST', headers: json, body: '{"grant_type":"password","grant_type":"client_credentials"}' },
  { name: 'bad percent-encoding in the body', method: 'POST', headers: form, body: 'grant_type=%zz&client_id=%&oauth_token=%E0%A4%A' },
  { name: 'invalid UTF-8 in the body', method: 'POST', headers: form, body: Buffer.from([0x61, 0x3d, 0xff, 0xfe, 0x26, 0x62, 0x3d, 0xc3]) },
  { name: 'duplicated parameters', method: 'POST', headers: form, body: 'grant_type=password&grant_type=password&oauth_token=a&oauth_token=b' },
  { name: 'bad percent-encoding in the query', method: 'GET', query: '?%zz=1&client_id=%&oauth_token=%E0%A4%A&response_type=code' },
  { name: 'duplicated query parameters', method: 'GET', query: '?client_id=a&client_id=b&oauth_token=x&oauth_token=y&user_code=1&user_code=2' },
  { name: 'a malformed content type', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=;;==' }, body: 'a=b' },
  { name: 'an unknown content type', method: 'POST', headers: { 'content-type': 'application/x-unknown' }, body: '\u0000\u0001' },
  { name: 'a malformed OAuth header', method: 'POST', headers: { authorization: 'OAuth oauth_consumer_key="abc, oauth_nonce=' } },
  { name: 'an OAuth header with bad encoding', method: 'GET', headers: { authorization: 'OAuth oauth_consumer_key="%zz", oauth_signature_method="HMAC-SHA1"' } },
  { name: 'an empty Bearer', method: 'GET', headers: { authorization: 'Bearer' } },
  { name: 'a Bearer with spaces', method: 'GET', headers: { authorization: 'Bearer a b c' } },
  { name: 'a malformed Basic', method: 'POST', headers: { authorization: 'Basic !!!***', ...form }, body: 'grant_type=client_credentials' },
  { name: 'a Basic without a colon', method: 'POST', headers: { authorization: 'Basic ' + Buffer.from('nocolon').toString('base64'), ...form }, body: 'grant_type=client_credentials' },
  { name: 'a very long header', method: 'GET', headers: { authorization: 'Bearer ' + 'a'.repeat(6000) } },
  { name: 'an Accept nobody serves', method: 'GET', headers: { accept: 'application/x-nothing' } },
  { name: 'a body over the limit', method: 'POST', headers: form, body: 'a=' + 'x'.repeat(1_100_000) },
];

let gateway: TestGateway;

beforeAll(async () => {
  // The proxied route's upstream is a closed port: the gateway must answer for it, not crash.
  gateway = await startTestGateway({ config: { upstream: 'http://127.0.0.1:1' } });
});
afterAll(() => gateway.close());

test.each(paths)('%s answers every malformed request without a 500, a stack trace or the unhandled-error path', async (path) => {
  const logs = logWindow(gateway);
  const failures: string[] = [];
  for (const probe of probes) {
    const res = await fetch(gateway.url + path + (probe.query ?? ''), {
      method: probe.method,
      headers: probe.headers,
      body: probe.body,
      redirect: 'manual',
    });
    const text = await res.text();
    if (res.status >= 500 && res.status !== 502 && res.status !== 503) failures.push(`${probe.name}: ${res.status} ${text.slice(0, 120)}`);
    if (/\bat .+\.(ts|js):\d+/.test(text) || /Error: /.test(text)) failures.push(`${probe.name}: stack trace or raw error in the body`);
  }
  expect(failures).toEqual([]);
  // Checked on this path's own log lines, so it holds whichever paths ran before (or none).
  expect(logs.text().length).toBeGreaterThan(0);
  expect(logs.text()).not.toContain('unhandled error');
});
