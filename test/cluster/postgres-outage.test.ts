import { bearerCall, call, tokenRequest, until } from './clients';
import { startCluster, type Cluster, type GatewayNode, type Seed } from './harness';
import { prepareProbes, probe } from './probes';

// Issue 14 items 1 and 2 (branch i-faults): two nodes on a private PostgreSQL that the tests stop
// and freeze. Every request that needs the database answers 503 within the time limits (never a hang
// for the whole outage, never a 500), requests that do not need it go on, and both nodes recover
// without a restart. The expectations here are the README's outage table.

jest.setTimeout(120_000);

let cluster: Cluster;
let seed: Seed;

beforeAll(async () => {
  cluster = await startCluster({
    label: 'postgres-outage',
    database: 'private-postgres',
    // Short limits keep the suite short; the defaults are 3, 5 and 6 seconds, and 2 for /readyz.
    config: { database: { connectTimeoutSeconds: 1, statementTimeoutSeconds: 1, queryTimeoutSeconds: 2 }, server: { readyTimeoutSeconds: 1 } },
  });
  seed = await cluster.seed();
});

afterAll(async () => {
  await cluster?.close();
});

// Each test starts from a database both nodes use again.
beforeEach(async () => {
  for (const node of cluster.nodes) {
    expect((await until(() => call(node, '/readyz'), (r) => r.status === 200, 30_000, 100)).status).toBe(200);
  }
});

/** Log lines a node wrote at error level or above since its first `from` lines. */
const errorLines = (node: GatewayNode, from: number) =>
  node
    .logLines()
    .slice(from)
    .filter((l) => l.level === 'error' || l.level === 'fatal');

// What needs the database answers 503 (within the limits); what does not goes on: the public route,
// pages, and credentials this node verified before (memory; the nonce claim is in Redis).
const duringOutage = {
  public: 200,
  bearerCached: 200,
  bearerUncached: 503,
  oauth1Cached: 200,
  oauth1Uncached: 503,
  token: 503,
  page: 200,
  readyz: 503,
};

describe('PostgreSQL frozen (SIGSTOP)', () => {
  test('requests that need the database answer 503 within the time limits on both nodes, the others go on', async () => {
    const credentials = await prepareProbes(cluster.nodes, seed);
    cluster.postgres!.freeze();
    try {
      for (const node of cluster.nodes) expect(await probe(node, seed, credentials)).toEqual(duringOutage);
    } finally {
      cluster.postgres!.thaw();
    }
  });

  test('an uncached bearer request gets 503 temporarily_unavailable with Retry-After, not a hang', async () => {
    const credentials = await prepareProbes(cluster.nodes.slice(0, 1), seed, 1);
    cluster.postgres!.freeze();
    try {
      const res = await call(cluster.nodes[1], '/api/items', { headers: { authorization: `Bearer ${credentials.uncached[0]}` }, signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.text).toContain('temporarily_unavailable');
    } finally {
      cluster.postgres!.thaw();
    }
  });
});

describe('PostgreSQL stopped', () => {
  test('requests that need the database answer 503 on both nodes, logged without an error line per request', async () => {
    const credentials = await prepareProbes(cluster.nodes, seed);
    const logged = cluster.nodes.map((n) => n.logLines().length);
    await cluster.postgres!.stop();
    try {
      for (const node of cluster.nodes) expect(await probe(node, seed, credentials)).toEqual(duringOutage);
      // More refused requests: they add no error line and no stack.
      await Promise.all(cluster.nodes.map((node) => Promise.all(Array.from({ length: 20 }, () => tokenRequest(node, seed, { grant_type: 'client_credentials' })))));
    } finally {
      await cluster.postgres!.start();
    }
    expect(cluster.nodes.map((n, i) => errorLines(n, logged[i]))).toEqual([[], []]);
  });

  test('the token endpoint answers 503 temporarily_unavailable in RFC 6749 JSON', async () => {
    await prepareProbes(cluster.nodes, seed, 0);
    await cluster.postgres!.stop();
    try {
      const res = await tokenRequest(cluster.nodes[0], seed, { grant_type: 'client_credentials' });
      expect(res.status).toBe(503);
      expect(res.json.error).toBe('temporarily_unavailable');
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await cluster.postgres!.start();
    }
  });
});

describe('PostgreSQL back', () => {
  test('after a restart both nodes issue and verify tokens again without being restarted', async () => {
    await cluster.postgres!.restart();
    for (const node of cluster.nodes) {
      const res = await until(() => tokenRequest(node, seed, { grant_type: 'client_credentials' }), (r) => r.status === 200, 30_000, 200);
      expect(res.status).toBe(200);
      expect((await bearerCall(cluster.nodes[0], res.json.access_token)).status).toBe(200);
    }
  });

  test('after a freeze both nodes issue tokens again', async () => {
    cluster.postgres!.freeze();
    // Let requests time out against the frozen server first.
    expect((await tokenRequest(cluster.nodes[0], seed, { grant_type: 'client_credentials' })).status).toBe(503);
    cluster.postgres!.thaw();
    for (const node of cluster.nodes) {
      const res = await until(() => tokenRequest(node, seed, { grant_type: 'client_credentials' }), (r) => r.status === 200, 30_000, 200);
      expect(res.status).toBe(200);
    }
  });
});
