import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { counterValue } from '../helpers/metrics';

// Issue 19 item 1, "request rate and latency histograms for the token, authorize, OAuth 1.0a, device,
// login and introspection endpoints": one request to each, over HTTP, is counted under the endpoint's
// own name (with its status) and timed in its histogram, not lumped into "other".

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});

afterAll(async () => {
  await gw?.close();
});

async function timed(endpoint: string): Promise<number> {
  const metric = gw.deps.metrics.registry.getSingleMetric('gateway_endpoint_request_duration_seconds')!;
  const series = (await metric.get()).values.find((v) => (v as { metricName?: string }).metricName === 'gateway_endpoint_request_duration_seconds_count' && v.labels.endpoint === endpoint);
  return series?.value ?? 0;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

test.each([
  ['POST', '/oauth2/token', 'oauth2.token'],
  ['GET', '/oauth2/authorize', 'oauth2.authorize'],
  ['POST', '/oauth2/device_authorization', 'oauth2.device_authorization'],
  ['GET', '/device', 'oauth2.device'],
  ['POST', '/oauth2/introspect', 'oauth2.introspect'],
  ['POST', '/oauth2/revoke', 'oauth2.revoke'],
  ['POST', '/oauth/request_token', 'oauth1.request_token'],
  ['POST', '/oauth/access_token', 'oauth1.access_token'],
  ['POST', '/oauth/xauth_access_token', 'oauth1.xauth_access_token'],
  ['GET', '/oauth/user_auth', 'oauth1.user_auth'],
  ['GET', '/login', 'pages.login'],
])('%s %s is counted and timed as %s', async (method, path, endpoint) => {
  const before = await timed(endpoint);
  const other = await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'other' });
  const res = await gw.request(path, method === 'POST' ? { method, headers: form, body: '' } : { method });
  const status = String(res.status);
  const counted = await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint, status });
  expect(counted).toBeGreaterThan(0);
  expect(await timed(endpoint)).toBe(before + 1);
  expect(await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'other' })).toBe(other);
});
