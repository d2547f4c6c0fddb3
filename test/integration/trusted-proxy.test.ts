import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { rawRequest, startUpstream, type TestUpstream } from '../helpers/upstream';

// Every reader of forwarding headers (client address, public base, the upstream's header rules)
// asks one matcher whether the peer is a configured proxy, so they agree however it is spelled.

let echo: TestUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  echo = await startUpstream('echo');
  // The test client connects from 127.0.0.1; the proxy is configured in another spelling of it.
  gateway = await startTestGateway({
    config: { server: { trustedProxies: [' ::FFFF:127.0.0.1 '] }, routes: [{ prefix: '/api', upstream: echo.url, accept: ['public'] }] },
  });
});

afterAll(async () => {
  await gateway.close();
  await echo.close();
});

const viaProxy = { host: 'internal:8080', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };

test('a proxy configured as IPv4-mapped, upper case, with spaces is trusted for the public base', async () => {
  const res = await rawRequest(gateway.url, { path: '/.well-known/oauth-authorization-server', headers: viaProxy });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body.toString()).issuer).toBe('https://api.example.com');
});

test('the same proxy is trusted by the upstream header rules: its X-Forwarded-For chain is extended', async () => {
  const res = await rawRequest(gateway.url, { path: '/api/x', headers: viaProxy });
  expect(res.status).toBe(200);
  const seen = JSON.parse(res.body.toString()).headers;
  expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
  expect(seen['x-forwarded-host']).toBe('api.example.com');
  expect(seen['x-forwarded-proto']).toBe('https');
});
