import { bearerCall, call, revokeToken, signed1, signedCall, tokenRequest, until, xauth, type Token1 } from './clients';
import { startCluster, type Cluster, type GatewayNode, type Seed } from './harness';
import { prepareProbes, probe, type ProbeCredentials } from './probes';

// Two nodes on PostgreSQL and a private redis-server: what an upstream that is down or silent and a
// Redis that stops do to each kind of request, and that the nodes recover without a restart. The
// expectations here are the README's outage table ("Running several nodes").

jest.setTimeout(90_000);

let cluster: Cluster;
let seed: Seed;

let health: Token1;

beforeAll(async () => {
  cluster = await startCluster({ label: 'outages', database: 'postgres' });
  seed = await cluster.seed();
  health = (await xauth(cluster.nodes[0], seed)).token;
});

// Each test starts from a Redis both nodes use again, whatever an earlier test did to it: ready, and
// signed requests accepted (the first ones after a restart may meet the nonce-loss refusal).
beforeEach(async () => {
  for (const node of cluster.nodes) {
    expect((await until(() => call(node, '/readyz'), (r) => r.status === 200, 20_000, 100)).status).toBe(200);
    expect((await until(() => signedCall(node, seed, health), (r) => r.status === 200, 20_000, 200)).status).toBe(200);
  }
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

describe('what each kind of request gets when the upstream is down or silent', () => {
  test("down: every proxied request answers 502, the gateway's own endpoints are not affected", async () => {
    const credentials = await prepareProbes(cluster.nodes, seed);
    for (const node of cluster.nodes) {
      expect(await probe(node, seed, credentials, { open: '/down/items', api: '/down-api/items' })).toEqual({
        public: 502,
        bearerCached: 502,
        bearerUncached: 502,
        oauth1Cached: 502,
        oauth1Uncached: 502,
        token: 200,
        page: 200,
        readyz: 200,
      });
    }
  });

  test("silent: every proxied request answers 504 after the route timeout, the gateway's own endpoints are not affected", async () => {
    const credentials = await prepareProbes(cluster.nodes, seed);
    for (const node of cluster.nodes) {
      expect(await probe(node, seed, credentials, { open: '/silent/hang', api: '/silent-api/hang' })).toEqual({
        public: 504,
        bearerCached: 504,
        bearerUncached: 504,
        oauth1Cached: 504,
        oauth1Uncached: 504,
        token: 200,
        page: 200,
        readyz: 200,
      });
    }
  });
});

describe('Redis outage', () => {
  test('stopped: signed requests answer 503 with Retry-After on both nodes, bearer tokens and readiness follow the table', async () => {
    const credentials = await prepareProbes(cluster.nodes, seed);
    // A client no node has checked yet.
    const unseen = await cluster.cli('client', 'add', '--name', 'Unseen client', '--grants', 'client_credentials');
    await cluster.redis!.kill();
    try {
      // A secret check that must count the attempt (a client not checked recently, a password) needs Redis.
      const fresh = await tokenRequest(cluster.nodes[0], { ...seed, client: { id: unseen.client_id, secret: unseen.client_secret } }, { grant_type: 'client_credentials' });
      expect(fresh.status).toBe(503);
      expect(fresh.json.error).toBe('temporarily_unavailable');
      const xauthAnswer = await signed1(seed.consumer, 'POST', '/oauth/xauth_access_token', undefined, {
        x_auth_mode: 'client_auth',
        x_auth_username: seed.user.username,
        x_auth_password: seed.user.password,
      }).to(cluster.nodes[0]);
      expect(xauthAnswer.status).toBe(503);
      for (const node of cluster.nodes) {
        const kinds = await probe(node, seed, credentials);
        expect(kinds).toEqual({ public: 200, bearerCached: 200, bearerUncached: 200, oauth1Cached: 503, oauth1Uncached: 503, token: 200, page: 200, readyz: 503 });
      }
      // A password check counts the attempt in Redis first (lock-out): no count, no check.
      const password = await tokenRequest(cluster.nodes[0], seed, { grant_type: 'password', username: seed.user.username, password: seed.user.password });
      expect(password.status).toBe(503);
      expect(password.json.error).toBe('temporarily_unavailable');
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

describe('issue 14 item 3 (i-faults): revocations during a Redis outage', () => {
  /** A bearer token node B verified (twice: the second from its memory) before the outage. */
  async function cachedOnB(): Promise<string> {
    const res = await tokenRequest(cluster.nodes[0], seed, { grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect((await bearerCall(cluster.nodes[1], res.json.access_token)).status).toBe(200);
    expect((await bearerCall(cluster.nodes[1], res.json.access_token)).status).toBe(200);
    return res.json.access_token;
  }

  test('a token revoked on node A while Redis is stopped stops on node B (its revocation log read), and stays stopped after Redis is back', async () => {
    const token = await cachedOnB();
    await cluster.redis!.kill();
    try {
      expect((await revokeToken(cluster.nodes[0], seed, token)).status).toBe(200);
      expect((await until(() => bearerCall(cluster.nodes[1], token), (r) => r.status === 401, 10_000)).status).toBe(401);
    } finally {
      await cluster.redis!.start();
    }
    expect((await until(() => call(cluster.nodes[1], '/readyz'), (r) => r.status === 200, 20_000, 100)).status).toBe(200);
    expect((await bearerCall(cluster.nodes[1], token)).status).toBe(401);
    expect((await bearerCall(cluster.nodes[0], token)).status).toBe(401);
  });

  test('a token revoked on node A while Redis is frozen stops on node B within a few seconds', async () => {
    const token = await cachedOnB();
    cluster.redis!.freeze();
    try {
      expect((await revokeToken(cluster.nodes[0], seed, token)).status).toBe(200);
      expect((await until(() => bearerCall(cluster.nodes[1], token), (r) => r.status === 401, 8_000)).status).toBe(401);
    } finally {
      cluster.redis!.thaw();
    }
    expect((await until(() => call(cluster.nodes[1], '/readyz'), (r) => r.status === 200, 20_000, 100)).status).toBe(200);
    expect((await bearerCall(cluster.nodes[1], token)).status).toBe(401);
  });
});

describe('issue 14 item 5 (i-faults): nonces forgotten by a Redis restart without persistence', () => {
  test('after the restart every kind of request works again on both nodes', async () => {
    const credentials = await prepareProbes(cluster.nodes, seed);
    await cluster.redis!.kill();
    await cluster.redis!.start();
    for (const node of cluster.nodes) {
      expect((await until(() => call(node, '/readyz'), (r) => r.status === 200, 20_000, 100)).status).toBe(200);
    }
    for (const node of cluster.nodes) {
      const kinds = await until(() => probeAgain(node, credentials), (k) => Object.values(k).every((s) => s === 200), 10_000, 200);
      expect(kinds).toEqual({ public: 200, bearerCached: 200, bearerUncached: 200, oauth1Cached: 200, oauth1Uncached: 200, token: 200, page: 200, readyz: 200 });
    }
  });

  /** Sends a signed request once, restarts Redis (its nonces are gone), and replays it to both nodes. */
  async function replayAfterRestart(waitBeforeRestartMs: number) {
    const { token } = await xauth(cluster.nodes[0], seed);
    const request = signed1(seed.consumer, 'GET', '/api/items', token);
    expect((await request.to(cluster.nodes[0])).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, waitBeforeRestartMs));
    // The private Redis runs without RDB or AOF: a restart forgets every nonce.
    await cluster.redis!.kill();
    await cluster.redis!.start();
    for (const node of cluster.nodes) {
      expect((await until(() => call(node, '/readyz'), (r) => r.status === 200, 20_000, 100)).status).toBe(200);
    }
    return { token, replays: await Promise.all(cluster.nodes.map((node) => request.to(node))) };
  }

  test('a request signed a second before the restart is refused when replayed after it, on both nodes; fresh requests work', async () => {
    const { token, replays } = await replayAfterRestart(1_100);
    expect(replays.map((r) => r.status)).toEqual([401, 401]);
    expect(replays.every((r) => r.form.oauth_problem === 'timestamp_refused' || r.form.oauth_problem === 'nonce_used')).toBe(true);
    for (const node of cluster.nodes) {
      const fresh = await until(() => signedCall(node, seed, token), (r) => r.status === 200, 10_000, 200);
      expect(fresh.status).toBe(200);
    }
  });

  test('a request signed in the same second as the restart is refused when replayed after it too', async () => {
    // Its timestamp is older than the moment the loss was noticed, though not older than that second.
    const { replays } = await replayAfterRestart(0);
    expect(replays.map((r) => r.status)).toEqual([401, 401]);
  });
});

/**
 * Probes with fresh uncached credentials each time (a poll uses them up). Getting more right after a
 * Redis restart can meet the nonce-loss refusal (an xAuth request signed in the very second a node
 * noticed the loss is refused): that is "not yet" for the poll, like any other answer but 200.
 */
async function probeAgain(node: GatewayNode, credentials: ProbeCredentials): Promise<Awaited<ReturnType<typeof probe>> | { preparing: string }> {
  if (credentials.uncached.length === 0 || credentials.oauth1Uncached.length === 0) {
    let more: ProbeCredentials;
    try {
      more = await prepareProbes(cluster.nodes, seed);
    } catch (err) {
      return { preparing: (err as Error).message };
    }
    credentials.uncached.push(...more.uncached);
    credentials.oauth1Uncached.push(...more.oauth1Uncached);
  }
  return probe(node, seed, credentials);
}
