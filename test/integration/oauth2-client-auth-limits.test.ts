import { hashSecret } from '../../src/crypto';
import { basicAuth, form, startTestGateway, type HttpResult, type TestGateway } from '../helpers/gateway';
import { logWindow } from '../helpers/log-window';

// Failed client authentication costs a 32 MiB scrypt. Failures are counted per client_id and per
// address before any scrypt runs, and the scrypt work itself is bounded: a flood of wrong secrets
// gets 429 (or 503 when the hashing queue is full), never a stalled gateway.

const MAX_FAILURES = 5;
const MAX_FAILURES_PER_ADDRESS = 8;
const MAX_CONCURRENT = 2;
// Room for every attempt the counters admit: here the counters are what refuses a flood.
const MAX_QUEUED = MAX_FAILURES_PER_ADDRESS;
const problemType = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html';

let gw: TestGateway;
let nextAddress = 1;

/** A fresh client address per request (the gateway trusts 127.0.0.1 as a proxy). */
function address(): string {
  const n = nextAddress++;
  return `198.51.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

function tokenRequest(authorization: string, from = address(), values: Record<string, string> = { grant_type: 'client_credentials' }): Promise<HttpResult> {
  const f = form(values);
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization, 'x-forwarded-for': from } });
}

function parallel<T>(count: number, run: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => run(i)));
}

/** A confidential client of its own for one test. */
async function client(id: string): Promise<string> {
  return (await gw.fixtures.client({ id, name: id, grants: 'client_credentials' })).secret as string;
}

const statuses = (results: HttpResult[]) => results.map((r) => r.status).sort((a, b) => a - b);

beforeAll(async () => {
  gw = await startTestGateway({
    config: {
      server: { trustedProxies: ['127.0.0.1'] },
      clientAuth: { maxFailures: MAX_FAILURES, maxFailuresPerAddress: MAX_FAILURES_PER_ADDRESS, lockSeconds: 300 },
      hashing: { maxConcurrent: MAX_CONCURRENT, maxQueued: MAX_QUEUED },
    },
  });
});

afterAll(async () => {
  await gw?.close();
});

describe('failed client authentications are limited before any scrypt runs', () => {
  test('40 parallel wrong secrets for one client: only maxFailures are verified, the rest get 429 with Retry-After', async () => {
    await client('flooded');
    const runs = gw.deps.hashing.runs;
    const results = await parallel(40, (i) => tokenRequest(basicAuth('flooded', `wrong-secret-${i}`)));
    expect(gw.deps.hashing.runs - runs).toBe(MAX_FAILURES);
    expect(statuses(results)).toEqual([...Array(MAX_FAILURES).fill(401), ...Array(40 - MAX_FAILURES).fill(429)]);
    const locked = results.find((r) => r.status === 429) as HttpResult;
    expect(locked.json).toEqual({ error: 'invalid_client', error_description: expect.stringMatching(/too many/i) });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(300);
    expect(locked.headers.get('cache-control')).toBe('no-store');
    expect(gw.deps.hashing.peakRunning).toBeLessThanOrEqual(MAX_CONCURRENT);
  });

  test('40 parallel wrong secrets from one address for 40 client ids: only maxFailuresPerAddress are verified', async () => {
    const from = address();
    const runs = gw.deps.hashing.runs;
    const results = await parallel(40, (i) => tokenRequest(basicAuth(`sprayed-${i}`, `wrong-secret-${i}`), from));
    expect(gw.deps.hashing.runs - runs).toBe(MAX_FAILURES_PER_ADDRESS);
    expect(statuses(results)).toEqual([...Array(MAX_FAILURES_PER_ADDRESS).fill(401), ...Array(40 - MAX_FAILURES_PER_ADDRESS).fill(429)]);
    expect(gw.deps.hashing.peakRunning).toBeLessThanOrEqual(MAX_CONCURRENT);
  });

  test('the metadata endpoint answers while a flood is refused', async () => {
    await client('flooded-meta');
    const flood = parallel(40, (i) => tokenRequest(basicAuth('flooded-meta', `wrong-secret-${i}`)));
    const metadata = await gw.request('/.well-known/oauth-authorization-server');
    expect(metadata.status).toBe(200);
    expect(statuses(await flood)).toContain(429);
  });

  test('a client locked out answers 429 for its right secret too, and works again once the lock ends', async () => {
    const secret = await client('locked-out');
    await parallel(MAX_FAILURES, (i) => tokenRequest(basicAuth('locked-out', `wrong-secret-${i}`)));
    expect((await tokenRequest(basicAuth('locked-out', secret))).status).toBe(429);
    gw.clock.advance(300_000);
    expect((await tokenRequest(basicAuth('locked-out', secret))).status).toBe(200);
  });

  test('a client whose right secret was verified a moment ago keeps working while a flood locks its id', async () => {
    const secret = await client('busy-machine');
    expect((await tokenRequest(basicAuth('busy-machine', secret))).status).toBe(200);
    await parallel(20, (i) => tokenRequest(basicAuth('busy-machine', `wrong-secret-${i}`)));
    const runs = gw.deps.hashing.runs;
    expect((await tokenRequest(basicAuth('busy-machine', secret))).status).toBe(200);
    expect(gw.deps.hashing.runs).toBe(runs);
  });

  test('successful authentications are not counted as failures', async () => {
    const from = address();
    const secrets = await parallel(MAX_FAILURES_PER_ADDRESS + 2, (i) => client(`good-${i}`));
    for (const [i, secret] of secrets.entries()) expect((await tokenRequest(basicAuth(`good-${i}`, secret), from)).status).toBe(200);
    expect((await tokenRequest(basicAuth('good-0', 'wrong-secret'), from)).status).toBe(401);
  });

  test('a burst of parallel first requests with the right secret is one check: all answered 200, one scrypt, nothing locked', async () => {
    // Replays what the cluster suite hit: 16 parallel first requests of a client were each counted
    // before any scrypt finished, and the ones past maxFailures were refused 429.
    const secret = await client('bursting');
    const from = address();
    const runs = gw.deps.hashing.runs;
    const results = await parallel(3 * MAX_FAILURES, () => tokenRequest(basicAuth('bursting', secret), from));
    expect(statuses(results)).toEqual(Array(3 * MAX_FAILURES).fill(200));
    expect(gw.deps.hashing.runs - runs).toBe(1);
    // The same burst with one wrong secret is one failure, not fifteen: the client is not locked.
    const wrong = await parallel(3 * MAX_FAILURES, () => tokenRequest(basicAuth('bursting', 'wrong-secret'), address()));
    expect(statuses(wrong)).toEqual(Array(3 * MAX_FAILURES).fill(401));
    expect((await tokenRequest(basicAuth('bursting', secret))).status).toBe(200);
  });

  test('introspection and revocation answer a locked-out client with 429 RFC 6749 JSON and Retry-After', async () => {
    const secret = await client('locked-introspect');
    await parallel(MAX_FAILURES, (i) => tokenRequest(basicAuth('locked-introspect', `wrong-secret-${i}`)));
    for (const path of ['/oauth2/introspect', '/oauth2/revoke']) {
      const f = form({ token: 'some-token' });
      const res = await gw.request(path, { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('locked-introspect', secret), 'x-forwarded-for': address() } });
      expect([path, res.status, res.json?.error]).toEqual([path, 429, 'invalid_client']);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  test('the ClearPass API answers a locked-out client with 429 Problem Details and Retry-After', async () => {
    const secret = await client('locked-clearpass');
    await parallel(MAX_FAILURES, (i) => tokenRequest(basicAuth('locked-clearpass', `wrong-secret-${i}`)));
    const res = await gw.request('/api/oauth', {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'locked-clearpass', client_secret: secret }),
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': address() },
    });
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({ type: problemType, status: 429, title: 'invalid_client' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('concurrent scrypt work is bounded', () => {
  /** Occupies every running and queued hashing slot with verifications of the gateway's own kind. */
  async function fillHashingQueue(): Promise<Promise<unknown>[]> {
    const stored = await hashSecret('occupying-secret');
    return Array.from({ length: MAX_CONCURRENT + MAX_QUEUED }, () => gw.deps.hashing.verify('occupying-secret', stored).catch((err: unknown) => err));
  }

  test('a full hashing queue answers the token endpoint with 503 and Retry-After, and no more than maxConcurrent scrypt run at once', async () => {
    const secrets = await parallel(10, (i) => client(`queued-${i}`));
    const occupying = await fillHashingQueue();
    const results = await parallel(10, (i) => tokenRequest(basicAuth(`queued-${i}`, `${secrets[i]}-wrong`)));
    await Promise.all(occupying);
    expect(results.every((r) => r.status === 401 || r.status === 503)).toBe(true);
    const busy = results.find((r) => r.status === 503) as HttpResult;
    expect(busy.json).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(busy.headers.get('cache-control')).toBe('no-store');
    expect(gw.deps.hashing.peakRunning).toBeLessThanOrEqual(MAX_CONCURRENT);
  });

  test('a refusal for a full queue is not counted as a failed authentication', async () => {
    const secret = await client('queued-then-fine');
    const from = address();
    for (let i = 0; i < MAX_FAILURES; i++) {
      const occupying = await fillHashingQueue();
      expect((await tokenRequest(basicAuth('queued-then-fine', secret), from)).status).toBe(503);
      await Promise.all(occupying);
    }
    expect((await tokenRequest(basicAuth('queued-then-fine', secret), from)).status).toBe(200);
  });

  test('the ClearPass API answers a full hashing queue with 503 Problem Details and Retry-After', async () => {
    const secret = await client('queued-clearpass');
    const occupying = await fillHashingQueue();
    const res = await gw.request('/api/oauth', {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'queued-clearpass', client_secret: secret }),
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': address() },
    });
    await Promise.all(occupying);
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ type: problemType, status: 503 });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

test('no secret reaches the logs', async () => {
  const logs = logWindow(gw);
  const secret = await client('logged');
  expect((await tokenRequest(basicAuth('logged', secret))).status).toBe(200);
  gw.remember('logged-wrong-secret');
  expect((await tokenRequest(basicAuth('logged', 'logged-wrong-secret'))).status).toBe(401);
  const f = form({ grant_type: 'client_credentials', client_id: 'logged', client_secret: secret });
  const inBody = await gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, 'x-forwarded-for': address() } });
  expect(inBody.status).toBe(200);
  expect(logs.text()).toContain('/oauth2/token');
  expect(logs.leakedSecrets()).toEqual([]);
});
