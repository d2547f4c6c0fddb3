import { call, signedCall, until, xauth } from './clients';
import { startCluster, type Cluster, type Seed } from './harness';
import { prepareProbes, probe } from './probes';

// Two nodes on PostgreSQL and a private redis-server: what an upstream that is down or silent and a
// Redis that stops do to each kind of request, and that the nodes recover without a restart. The
// expectations here are the README's outage table ("Running several nodes").

jest.setTimeout(90_000);

let cluster: Cluster;
let seed: Seed;

beforeAll(async () => {
  cluster = await startCluster({ label: 'outages', database: 'postgres' });
  seed = await cluster.seed();
});

afterAll(async () => {
  await cluster?.close();
});

describe('upstream outages', () => {
  test('an upstream nobody listens on answers 502 on every node', async () => {
    for (const node of cluster.nodes) {
      const res = await call(node, '/down/items');
      expect(res.status).toBe(502);
      expect(res.text).not.toMatch(/ECONNREFUSED|at .*\.js/);
    }
  });

  test('an upstream that never answers gives 504 after the route timeout', async () => {
    const answers = await Promise.all(cluster.nodes.map((node) => call(node, '/silent/hang')));
    expect(answers.map((a) => a.status)).toEqual([504, 504]);
  });
});

describe('Redis outage', () => {
  // Each test starts from a Redis both nodes are connected to again.
  beforeEach(async () => {
    for (const node of cluster.nodes) {
      expect((await until(() => call(node, '/readyz'), (r) => r.status === 200, 20_000, 100)).status).toBe(200);
    }
  });

  test('stopped: signed requests answer 503 with Retry-After on both nodes, bearer tokens and readiness follow the table', async () => {
    const credentials = await prepareProbes(cluster.nodes, seed, 6);
    await cluster.redis!.kill();
    try {
      for (const node of cluster.nodes) {
        const kinds = await probe(node, seed, credentials);
        expect(kinds).toEqual({ public: 200, bearerCached: 200, bearerUncached: 200, oauth1Cached: 503, oauth1Uncached: 503, token: 200, page: 200, readyz: 503 });
      }
      const refused = await signedCall(cluster.nodes[1], seed, credentials.oauth1Cached);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
    } finally {
      await cluster.redis!.start();
    }
  });

  test('restarted: signed requests work again on both nodes without restarting them', async () => {
    const { token } = await xauth(cluster.nodes[0], seed);
    await cluster.redis!.kill();
    try {
      expect((await signedCall(cluster.nodes[0], seed, token)).status).toBe(503);
    } finally {
      await cluster.redis!.start();
    }
    for (const node of cluster.nodes) {
      const res = await until(() => signedCall(node, seed, token), (r) => r.status === 200, 20_000, 100);
      expect(res.status).toBe(200);
      expect((await call(node, '/readyz')).status).toBe(200);
    }
  });
});
