import { bearerCall, sha256hex, tokenRequest } from './clients';
import { startCluster, type Cluster, type GatewayNode, type Seed } from './harness';

// kill -9 of a node while it issues tokens: every token a client received (a 200 with the token in
// it) is in the database afterwards and works, on SQLite (one node) as on PostgreSQL (two nodes).
// An acknowledged token is a durable one: the answer leaves only after the commit.

jest.setTimeout(90_000);

/**
 * Client-credentials requests from `concurrency` loops against one node until it dies; returns the
 * tokens whose answers arrived in full (pushed to `acknowledged` as they arrive).
 */
async function tokenLoad(node: GatewayNode, seed: Seed, concurrency: number, acknowledged: string[] = []): Promise<{ acknowledged: string[]; statuses: number[]; failures: number }> {
  const statuses: number[] = [];
  let failures = 0;
  let alive = true;
  void node.exited.then(() => (alive = false));
  const loop = async () => {
    while (alive) {
      try {
        const res = await tokenRequest(node, seed, { grant_type: 'client_credentials' });
        if (res.status === 200) acknowledged.push(res.json.access_token);
        else statuses.push(res.status);
      } catch {
        // The connection died with the node: this request was never acknowledged.
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { acknowledged, statuses, failures };
}

/** Kills the node under load once it has acknowledged a few hundred tokens (or after ten seconds on a slow machine). */
async function killUnderLoad(node: GatewayNode, seed: Seed): Promise<string[]> {
  // One request first: the client's secret is then known to the node, and the burst is no guessing
  // (concurrent first requests of one client count as attempts until one has been checked).
  expect((await tokenRequest(node, seed, { grant_type: 'client_credentials' })).status).toBe(200);
  const progress: string[] = [];
  const load = tokenLoad(node, seed, 8, progress);
  const started = Date.now();
  while (progress.length < 300 && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await node.kill()).toBe('SIGKILL');
  const { acknowledged, statuses, failures } = await load;
  // Every answer that arrived was a token: nothing else to account for.
  expect(statuses).toEqual([]);
  expect(acknowledged.length).toBeGreaterThan(0);
  // Requests were in flight when the node died (they got no answer, so they are not acknowledged).
  expect(failures).toBeGreaterThan(0);
  return acknowledged;
}

/** Acknowledged tokens whose row is not in the database. */
async function missingRows(cluster: Cluster, acknowledged: string[]): Promise<string[]> {
  const rows = await cluster.query('SELECT digest FROM oauth2_access_tokens');
  const stored = new Set(rows.map((r) => String(r.digest)));
  return acknowledged.filter((t) => !stored.has(sha256hex(t)));
}

/** A sample of the tokens (first, last and every 50th) works through the given node. */
async function sampleWorks(node: GatewayNode, acknowledged: string[]): Promise<number[]> {
  const sample = [...acknowledged.slice(0, 5), ...acknowledged.filter((_, i) => i % 50 === 0), ...acknowledged.slice(-5)];
  return [...new Set((await Promise.all(sample.map((t) => bearerCall(node, t)))).map((r) => r.status))];
}

describe('kill -9 under token load', () => {
  let cluster: Cluster | undefined;

  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  test('on SQLite no acknowledged token is lost and the database stays whole', async () => {
    cluster = await startCluster({ label: 'kill-sqlite', database: 'sqlite', redis: 'none', nodes: 1 });
    const seed = await cluster.seed();
    const node = cluster.nodes[0];
    const acknowledged = await killUnderLoad(node, seed);

    expect(await cluster.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(await missingRows(cluster, acknowledged)).toEqual([]);
    // The same data dir serves again, and the tokens work there.
    const restarted = await cluster.startNode({ name: 'restarted' });
    expect(await sampleWorks(restarted, acknowledged)).toEqual([200]);
  });

  test('on PostgreSQL no acknowledged token is lost and the other node serves them', async () => {
    cluster = await startCluster({ label: 'kill-postgres', database: 'postgres' });
    const seed = await cluster.seed();
    const [victim, survivor] = cluster.nodes;
    const acknowledged = await killUnderLoad(victim, seed);

    expect(await missingRows(cluster, acknowledged)).toEqual([]);
    expect(await sampleWorks(survivor, acknowledged)).toEqual([200]);
  });
});
