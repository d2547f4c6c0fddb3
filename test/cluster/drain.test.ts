import http from 'node:http';
import { until } from './clients';
import { startCluster, type Cluster, type GatewayNode } from './harness';

// Issue 14 item 4 (branch i-workers): SIGTERM to one node of two while keep-alive clients load both.
// Clients act as a load balancer would: a client whose node answered `Connection: close` or refuses
// connections moves to the other node. No request is reset or lost, a slow request in flight
// finishes, /readyz on the draining node says 503 at once, and the node exits 0.

jest.setTimeout(60_000);

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ label: 'drain', database: 'postgres', redis: 'none', config: { server: { shutdownTimeoutSeconds: 10 } } });
});

afterAll(async () => {
  await cluster?.close();
});

interface Reply {
  status: number;
  connection: string | undefined;
}

function get(node: GatewayNode, agent: http.Agent, target: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: node.port, path: target, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

test('a node drained under keep-alive load loses no request, says 503 on /readyz at once and exits 0', async () => {
  const [draining, other] = cluster.nodes;
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  let stopping = false;
  const failures: string[] = [];
  const statuses: number[] = [];
  let closesFromDraining = 0;
  const answered = Array.from({ length: 8 }, () => 0);
  const client = async (i: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let node = i % 2 === 0 ? draining : other;
    while (!stopping) {
      try {
        const reply = await get(node, agent, '/open/slow?ms=20');
        statuses.push(reply.status);
        answered[i] += 1;
        if (node === draining && reply.connection === 'close') {
          closesFromDraining += 1;
          node = other;
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // A node that no longer listens refuses new connections: the request never reached it.
        if (code === 'ECONNREFUSED' && node === draining) node = other;
        else failures.push(`${node.name}: ${code ?? (err as Error).message}`);
      }
    }
    agent.destroy();
  };
  const clients = Array.from({ length: 8 }, (_, i) => client(i));
  // Every client under way (its keep-alive connection open and used) before the signal.
  await until(async () => answered.every((n) => n > 0), Boolean, 10_000, 10);

  // A slow request in flight when SIGTERM arrives.
  const slowAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const slow = get(draining, slowAgent, '/open/slow?ms=1500');
  // A load balancer's health check, on a connection it keeps open.
  expect((await get(draining, probeAgent, '/readyz')).status).toBe(200);
  draining.child.kill('SIGTERM');
  // Once the node has taken the signal (it logs so), its health check says 503 on that connection.
  await until(async () => draining.output().includes('shutting down'), Boolean, 10_000, 10);
  const ready = await get(draining, probeAgent, '/readyz').catch((err) => ({ status: -1, connection: String(err) }));

  expect((await slow).status).toBe(200);
  expect(await draining.exited).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  stopping = true;
  await Promise.all(clients);
  probeAgent.destroy();
  slowAgent.destroy();

  expect(ready).toEqual({ status: 503, connection: "close" });
  expect(failures).toEqual([]);
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  // The clients that were on the draining node were told to go (Connection: close).
  expect(closesFromDraining).toBeGreaterThan(0);
});
