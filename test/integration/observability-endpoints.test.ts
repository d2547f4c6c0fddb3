import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { counterValue } from '../helpers/metrics';
import { logWindow } from '../helpers/log-window';
import { startUpstream, type TestUpstream } from '../helpers/upstream';
import { Browser, decide, openAuthorization } from '../helpers/browser';

// Issue 19 items 1, 2 and 4: metrics for the gateway's own endpoints, access lines that name who
// called from where and why a request was refused, and /readyz naming the part that is down.

let upstream: TestUpstream;
let gw: TestGateway;
let appSecret: string;

beforeAll(async () => {
  upstream = await startUpstream('api');
  gw = await startTestGateway({
    config: { login: { maxFailures: 2 }, routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth2'] }] },
  });
  ({ secret: appSecret } = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'client_credentials,password', scopes: 'read' })) as { secret: string });
  await gw.fixtures.user('rita', 'rita-password-1');
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
});

function tokenRequest(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const f = form(fields);
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, ...headers } });
}

/** The JSON lines written since the window opened. */
function lines(window: { text(): string }): any[] {
  return window
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function histogramCount(name: string, labels: Record<string, string>): Promise<number> {
  const metric = gw.deps.metrics.registry.getSingleMetric(name);
  const values = (await metric!.get()).values.filter((v) => (v as { metricName?: string }).metricName === `${name}_count`);
  return values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))?.value ?? 0;
}

describe('metrics of the gateway own endpoints', () => {
  test('the token endpoint counts its requests by status and times them', async () => {
    const ok = await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'oauth2.token', status: '200' });
    const timed = await histogramCount('gateway_endpoint_request_duration_seconds', { endpoint: 'oauth2.token' });
    const res = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basicAuth('app', appSecret) });
    expect(res.status).toBe(200);
    expect(await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'oauth2.token', status: '200' })).toBe(ok + 1);
    expect(await histogramCount('gateway_endpoint_request_duration_seconds', { endpoint: 'oauth2.token' })).toBe(timed + 1);
  });

  test('the metadata, health and 404 answers are counted under their own endpoint names', async () => {
    const metadata = await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'oauth2.metadata', status: '200' });
    const ready = await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'health.ready', status: '200' });
    const other = await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'other', status: '404' });
    expect((await gw.request('/.well-known/oauth-authorization-server')).status).toBe(200);
    expect((await gw.request('/readyz')).status).toBe(200);
    expect((await gw.request('/no-such-path')).status).toBe(404);
    expect(await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'oauth2.metadata', status: '200' })).toBe(metadata + 1);
    expect(await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'health.ready', status: '200' })).toBe(ready + 1);
    expect(await counterValue(gw, 'gateway_endpoint_requests_total', { endpoint: 'other', status: '404' })).toBe(other + 1);
  });

  test('an OAuth error is counted by code and by the known client; a made-up client_id is "unknown"', async () => {
    const known = await counterValue(gw, 'gateway_oauth_errors_total', { endpoint: 'oauth2.token', error: 'unauthorized_client', client: 'app' });
    const unknown = await counterValue(gw, 'gateway_oauth_errors_total', { endpoint: 'oauth2.token', error: 'invalid_client', client: 'unknown' });
    const deviceGrant = { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'whatever' };
    expect((await tokenRequest(deviceGrant, { authorization: basicAuth('app', appSecret) })).json.error).toBe('unauthorized_client');
    expect((await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basicAuth('made-up-client-1', 'whatever') })).json.error).toBe('invalid_client');
    expect(await counterValue(gw, 'gateway_oauth_errors_total', { endpoint: 'oauth2.token', error: 'unauthorized_client', client: 'app' })).toBe(known + 1);
    expect(await counterValue(gw, 'gateway_oauth_errors_total', { endpoint: 'oauth2.token', error: 'invalid_client', client: 'unknown' })).toBe(unknown + 1);
    const text = (await gw.request('/metrics')).text;
    expect(text).not.toContain('made-up-client-1');
  });

  test('wrong passwords count as login failures, and attempts past the limit as lock-outs', async () => {
    const failures = await counterValue(gw, 'gateway_login_failures_total', {});
    const lockouts = await counterValue(gw, 'gateway_lockouts_total', {});
    const window = logWindow(gw);
    for (let i = 0; i < 2; i++) {
      expect((await tokenRequest({ grant_type: 'password', username: 'lena', password: 'wrong-password-X' }, { authorization: basicAuth('app', appSecret) })).json.error).toBe('invalid_grant');
    }
    const locked = await tokenRequest({ grant_type: 'password', username: 'lena', password: 'wrong-password-X' }, { authorization: basicAuth('app', appSecret) });
    expect(locked.status).toBe(429);
    expect(await counterValue(gw, 'gateway_login_failures_total', {})).toBe(failures + 2);
    expect(await counterValue(gw, 'gateway_lockouts_total', {})).toBe(lockouts + 1);
    // The sign-in lines name the username and the address, never the password.
    const signIn = lines(window).filter((l) => l.event === 'signInFailed');
    expect(signIn).toHaveLength(2);
    expect(signIn[0]).toMatchObject({ username: 'lena', clientAddress: '127.0.0.1' });
    expect(lines(window).filter((l) => l.event === 'signInLockedOut')).toEqual([expect.objectContaining({ username: 'lena', clientAddress: '127.0.0.1' })]);
    expect(window.text()).not.toContain('wrong-password-X');
  });

  test('consent decisions are counted by protocol and decision', async () => {
    await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: ['https://web.example/cb'], scopes: 'read' });
    await gw.fixtures.user('cora', 'cora-password-1');
    const approved = await counterValue(gw, 'gateway_consent_decisions_total', { protocol: 'oauth2', decision: 'approve' });
    const denied = await counterValue(gw, 'gateway_consent_decisions_total', { protocol: 'oauth2', decision: 'deny' });
    const browser = new Browser(gw.url);
    const params = { client_id: 'web', response_type: 'code', redirect_uri: 'https://web.example/cb', scope: 'read' };
    expect((await decide(browser, await openAuthorization(browser, { ...params, state: 'a' }, { username: 'cora', password: 'cora-password-1' }), 'deny')).status).toBe(303);
    expect((await decide(browser, await openAuthorization(browser, { ...params, state: 'b' }, { username: 'cora', password: 'cora-password-1' }), 'approve')).status).toBe(303);
    expect(await counterValue(gw, 'gateway_consent_decisions_total', { protocol: 'oauth2', decision: 'approve' })).toBe(approved + 1);
    expect(await counterValue(gw, 'gateway_consent_decisions_total', { protocol: 'oauth2', decision: 'deny' })).toBe(denied + 1);
  });

  test('gateway_build_info names the version and the Node.js', async () => {
    const text = (await gw.request('/metrics')).text;
    expect(text).toContain(`gateway_build_info{version="0.1.0",node="${process.versions.node}"} 1`);
    expect(text).toMatch(/gateway_dependency_up\{dependency="cache"\} 1/);
  });
});

describe('access lines', () => {
  test('a token endpoint failure names the error code and the client_id, even of a client that failed to authenticate', async () => {
    const window = logWindow(gw);
    await tokenRequest({ grant_type: 'client_credentials', client_id: 'made-up-client-2', client_secret: 'no-such-secret' });
    const [line] = lines(window).filter((l) => l.msg === 'request' && l.url === '/oauth2/token');
    expect(line).toMatchObject({ status: 401, error: 'invalid_client', clientId: 'made-up-client-2' });
    expect(window.text()).not.toContain('no-such-secret');
  });

  test('a token endpoint failure names the error code and the client_id, and the client address', async () => {
    const window = logWindow(gw);
    await tokenRequest({ grant_type: 'password', username: 'rita', password: 'not-rita-password' }, { authorization: basicAuth('app', appSecret) });
    const [line] = lines(window).filter((l) => l.msg === 'request' && l.url === '/oauth2/token');
    expect(line).toMatchObject({ status: 400, route: 'oauth2.token', error: 'invalid_grant', clientId: 'app', clientAddress: '127.0.0.1' });
    expect(window.text()).not.toContain('not-rita-password');
    expect(window.leakedSecrets([appSecret])).toEqual([]);
  });

  test('an authorization request names client_id, state and scope (no secrets), and redacts everything else', async () => {
    const window = logWindow(gw);
    await gw.request('/oauth2/authorize?client_id=app&response_type=code&state=st-42&scope=read&code_challenge=chal-secret-ish&login_hint=x');
    const [line] = lines(window).filter((l) => l.msg === 'request');
    expect(line.url).toBe('/oauth2/authorize?client_id=app&response_type=code&state=st-42&scope=read&code_challenge=[redacted]&login_hint=[redacted]');
  });

  test('a proxied request names the client address, the user and client, the bytes and the upstream time', async () => {
    const issued = await tokenRequest({ grant_type: 'password', username: 'rita', password: 'rita-password-1', scope: 'read' }, { authorization: basicAuth('app', appSecret) });
    expect(issued.status).toBe(200);
    const window = logWindow(gw);
    expect((await gw.request('/api/posts', { headers: { authorization: `Bearer ${issued.json.access_token}` } })).status).toBe(200);
    const [line] = lines(window).filter((l) => l.msg === 'proxied');
    expect(line).toMatchObject({ route: '/api', status: 200, user: 'rita', clientId: 'app', clientAddress: '127.0.0.1', upstreamMs: expect.any(Number), bytes: expect.any(Number) });
    expect(window.leakedSecrets()).toEqual([]);
  });
});

describe('/readyz with upstreams (routes with readiness: true)', () => {
  test('an upstream that answers keeps the gateway ready, one that does not is named as down', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const probed = await startTestGateway({
      config: {
        routes: [
          { prefix: '/api', upstream: upstream.url, accept: ['oauth2'], readiness: true },
          { prefix: '/legacy', upstream: `http://127.0.0.1:${deadPort}`, accept: ['oauth2'], readiness: true },
          { prefix: '/unprobed', upstream: `http://127.0.0.1:${deadPort}`, accept: ['oauth2'] },
        ],
      },
    });
    try {
      const res = await probed.request('/readyz');
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({
        status: 'unavailable',
        database: { ok: true },
        cache: { ok: true },
        upstreams: [
          { route: '/api', upstream: upstream.url, ok: true },
          { route: '/legacy', upstream: `http://127.0.0.1:${deadPort}`, ok: false },
        ],
        down: ['upstream:/legacy'],
      });
      expect(res.json.upstreams).toHaveLength(2);
    } finally {
      await probed.close();
    }
  });
});

describe('Redis latency (cache: redis)', () => {
  test('every Redis call is timed by operation, and the cache is reported up', async () => {
    const onRedis = await startTestGateway({ cache: 'redis' });
    try {
      const pings = async () => {
        const metric = onRedis.deps.metrics.registry.getSingleMetric('gateway_dependency_duration_seconds')!;
        return (await metric.get()).values.find((v) => (v as { metricName?: string }).metricName === 'gateway_dependency_duration_seconds_count' && v.labels.operation === 'ping' && v.labels.dependency === 'cache')?.value ?? 0;
      };
      const before = await pings();
      expect((await onRedis.request('/readyz')).json).toMatchObject({ cache: { kind: 'redis', ok: true }, down: [] });
      expect(await pings()).toBe(before + 1);
      expect((await onRedis.request('/metrics')).text).toMatch(/gateway_dependency_up\{dependency="cache"\} 1/);
    } finally {
      await onRedis.close();
    }
  });
});
