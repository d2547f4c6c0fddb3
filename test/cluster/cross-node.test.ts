import { bearerCall, passwordTokens, revokeToken, signed1, signedCall, tokenRequest, until, xauth } from './clients';
import { startCluster, type Cluster, type Seed } from './harness';

// Two `oauth-gateway serve` processes on one PostgreSQL and one Redis: what one node issues, revokes
// or sees is known to the other (the behaviour the reliability review found holding; kept holding).

jest.setTimeout(60_000);

let cluster: Cluster;
let seed: Seed;

beforeAll(async () => {
  cluster = await startCluster({ label: 'cross-node', database: 'postgres' });
  seed = await cluster.seed();
});

afterAll(async () => {
  await cluster?.close();
});

const nodeA = () => cluster.nodes[0];
const nodeB = () => cluster.nodes[1];

describe('tokens issued on one node', () => {
  test('a bearer token from node A is accepted on node B', async () => {
    const { access } = await passwordTokens(nodeA(), seed);
    const res = await bearerCall(nodeB(), access);
    expect(res.status).toBe(200);
    expect(res.json.headers['x-authenticated-user']).toBe(seed.user.username);
  });

  test('an OAuth 1.0a token from node A signs requests on node B', async () => {
    const { token } = await xauth(nodeA(), seed);
    const res = await signedCall(nodeB(), seed, token);
    expect(res.status).toBe(200);
    expect(res.json.headers['x-auth-protocol']).toBe('oauth1');
  });
});

describe('revocation across nodes', () => {
  test('a bearer token revoked on node A stops on node B', async () => {
    const { access } = await passwordTokens(nodeA(), seed);
    // Node B verified it and holds it in memory: only the revocation message can stop it there.
    expect((await bearerCall(nodeB(), access)).status).toBe(200);
    expect((await bearerCall(nodeB(), access)).status).toBe(200);
    expect((await revokeToken(nodeA(), seed, access)).status).toBe(200);
    const res = await until(() => bearerCall(nodeB(), access), (r) => r.status === 401, 10_000);
    expect(res.status).toBe(401);
  });

  test("a user disabled with the CLI (outside the nodes' processes) loses their tokens on both nodes", async () => {
    const user = { username: `leaver-${Date.now()}`, password: 'a long enough password' };
    await cluster.cli('user', 'add', '--username', user.username, '--password', user.password);
    const own = { ...seed, user };
    const { access } = await passwordTokens(nodeA(), own);
    const { token } = await xauth(nodeB(), own);
    for (const node of cluster.nodes) {
      expect((await bearerCall(node, access)).status).toBe(200);
      expect((await signedCall(node, seed, token)).status).toBe(200);
    }
    await cluster.cli('user', 'disable', user.username);
    for (const node of cluster.nodes) {
      expect((await until(() => bearerCall(node, access), (r) => r.status === 401, 10_000)).status).toBe(401);
      expect((await until(() => signedCall(node, seed, token), (r) => r.status === 401, 10_000)).status).toBe(401);
    }
  });

  test('an OAuth 1.0a refresh on node B stops the old token on node A, and the new pair works on both', async () => {
    const { token, sessionHandle } = await xauth(nodeA(), seed);
    expect((await signedCall(nodeA(), seed, token)).status).toBe(200);
    const refreshed = await signed1(seed.consumer, 'POST', '/oauth/refresh_access_token', token, { oauth_session_handle: sessionHandle }).to(nodeB());
    expect(refreshed.status).toBe(200);
    const fresh = { key: refreshed.form.oauth_token, secret: refreshed.form.oauth_token_secret };
    expect(fresh.key).not.toBe(token.key);
    const old = await until(() => signedCall(nodeA(), seed, token), (r) => r.status === 401, 10_000);
    expect(old.status).toBe(401);
    expect((await signedCall(nodeA(), seed, fresh)).status).toBe(200);
    expect((await signedCall(nodeB(), seed, fresh)).status).toBe(200);
  });

  test('an OAuth 2.0 refresh token from node A is exchanged on node B', async () => {
    const { refresh } = await passwordTokens(nodeA(), seed);
    const exchanged = await tokenRequest(nodeB(), seed, { grant_type: 'refresh_token', refresh_token: refresh });
    expect(exchanged.status).toBe(200);
    expect((await bearerCall(nodeA(), exchanged.json.access_token)).status).toBe(200);
  });
});

describe('OAuth 1.0a nonces across nodes', () => {
  test('the same signed request sent to both nodes at once is accepted once', async () => {
    const { token } = await xauth(nodeA(), seed);
    // One signed request (one nonce, one timestamp), ten copies to each node, all in flight together.
    const request = signed1(seed.consumer, 'GET', '/api/items', token);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => request.to(cluster.nodes[i % 2])));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    expect(answers.filter((a) => a.status === 401).every((a) => a.text.includes('oauth_problem=nonce_used'))).toBe(true);
  });
});

describe('issue 14 item 6 (i-commit): the same refresh token at both nodes at once', () => {
  test('both refreshes succeed and every token they gave works on both nodes: the family is not revoked', async () => {
    const { refresh } = await passwordTokens(nodeA(), seed);
    const answers = await Promise.all(cluster.nodes.map((node) => tokenRequest(node, seed, { grant_type: 'refresh_token', refresh_token: refresh })));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    for (const { json } of answers) {
      for (const node of cluster.nodes) expect((await bearerCall(node, json.access_token)).status).toBe(200);
    }
    // The session goes on: a successor refresh token is still good.
    const next = await tokenRequest(nodeB(), seed, { grant_type: 'refresh_token', refresh_token: answers[0].json.refresh_token });
    expect(next.status).toBe(200);
  });

  test('reuse past the grace period (5 s by default) still revokes the family on both nodes', async () => {
    const { refresh } = await passwordTokens(nodeA(), seed);
    const first = await tokenRequest(nodeA(), seed, { grant_type: 'refresh_token', refresh_token: refresh });
    expect(first.status).toBe(200);
    expect((await bearerCall(nodeB(), first.json.access_token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const replay = await tokenRequest(nodeB(), seed, { grant_type: 'refresh_token', refresh_token: refresh });
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe('invalid_grant');
    for (const node of cluster.nodes) {
      expect((await until(() => bearerCall(node, first.json.access_token), (r) => r.status === 401, 10_000)).status).toBe(401);
    }
  });
});
