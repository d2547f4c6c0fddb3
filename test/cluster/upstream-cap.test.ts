import { call } from './clients';
import { startCluster, type Cluster } from './harness';

// Issue 14 item 7 (branch i-lean): a per-upstream connection cap with a bounded queue and a queue
// timeout. Two nodes in front of one slow upstream: each node keeps at most its cap of requests at
// the upstream however many clients wait, and what the queue cannot hold answers 503 with Retry-After.

jest.setTimeout(60_000);

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    label: 'upstream-cap',
    database: 'postgres',
    redis: 'none',
    // The cap as a whole: the anonymous callers of the public route may take all of it.
    config: { upstreamLimits: { maxConnections: 4, maxQueued: 4, queueTimeoutSeconds: 1, anonymousShare: 1 } },
  });
});

afterAll(async () => {
  await cluster?.close();
});

test('80 clients at a slow upstream through two nodes: at most 4 requests per node reach it, the overflow answers 503', async () => {
  cluster.slow.peak = 0;
  const answers = await Promise.all(Array.from({ length: 80 }, (_, i) => call(cluster.nodes[i % 2], '/open/slow?ms=400')));
  const statuses = answers.map((a) => a.status);
  expect(cluster.slow.peak).toBeLessThanOrEqual(8);
  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(8);
  const refused = answers.filter((a) => a.status === 503);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((a) => a.headers.get('retry-after') !== null && a.json?.error === 'temporarily_unavailable')).toBe(true);
});

test('once the burst is over the upstream is reached again at once', async () => {
  const answers = await Promise.all(cluster.nodes.map((node) => call(node, '/open/slow?ms=10')));
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
});
