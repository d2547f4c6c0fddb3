import { tokenDigest } from '../../src/crypto';
import { logWindow } from '../helpers/log-window';
import { eventually } from '../helpers/redis';
import {
  Browser,
  OAuth1Client,
  authorizeInBrowser,
  callbackParameters,
  startOAuth1Gateway,
  tokenOf,
  xauthAccess,
  type ConsumerCredentials,
  type OAuth1Gateway,
} from '../helpers/oauth1';

// The session extension's refresh (WebEx "Refresh Access Token"): a new pair for the old access
// token and the session handle; the old token stops working at once, here and on other nodes.

const alice = { username: 'alice', password: 'alice-password-1' };
const SESSION_SECONDS = 7200;

describe('refresh on one gateway', () => {
  let gw: OAuth1Gateway;
  let consumer: ConsumerCredentials;

  beforeAll(async () => {
    gw = await startOAuth1Gateway({ config: { lifetimes: { oauth1Session: SESSION_SECONDS } } });
    await gw.fixtures.user(alice.username, alice.password);
    consumer = await gw.consumer({ name: 'Refresher', xauth: true });
  });
  afterAll(() => gw.close());

  test('after the three-legged flow, refresh issues a new pair under the same session handle', async () => {
    const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query');
    const { token, authUrl } = await client.requestToken('oob');
    const { answer } = await authorizeInBrowser(new Browser(gw.url), authUrl, alice);
    const verifier = /<output\b[^>]*>([^<]+)</.exec(answer.text)?.[1] as string;
    gw.remember(verifier);
    const access = await client.accessToken(token, verifier);
    const refreshed = await client.refresh(tokenOf(access.form), access.form.oauth_session_handle);
    expect(refreshed.status).toBe(200);
    expect(refreshed.form.oauth_session_handle).toBe(access.form.oauth_session_handle);
    expect(refreshed.form.oauth_token).not.toBe(access.form.oauth_token);
    expect(refreshed.form.xoauth_user_id).toBe(access.form.xoauth_user_id);
    expect((await client.whoami(tokenOf(refreshed.form))).status).toBe(200);
  });

  test('the old token stops working at once, even though this node had it cached', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token, sessionHandle } = await xauthAccess(client, alice);
    expect((await client.whoami(token)).status).toBe(200); // cached now
    expect((await client.refresh(token, sessionHandle)).status).toBe(200);
    const old = await client.whoami(token);
    expect([old.status, old.form.oauth_problem]).toEqual([401, 'token_revoked']);
  });

  test('an expired access token can be refreshed', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token, sessionHandle } = await xauthAccess(client, alice);
    gw.clock.advance(3601 * 1000);
    try {
      expect((await client.whoami(token)).form.oauth_problem).toBe('token_expired');
      const refreshed = await client.refresh(token, sessionHandle);
      expect(refreshed.status).toBe(200);
      expect((await client.whoami(tokenOf(refreshed.form))).status).toBe(200);
    } finally {
      gw.clock.advance(-3601 * 1000);
    }
  });

  test('a token is refreshed once: the second refresh with it gets token_revoked', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token, sessionHandle } = await xauthAccess(client, alice);
    expect((await client.refresh(token, sessionHandle)).status).toBe(200);
    const again = await client.refresh(token, sessionHandle);
    expect([again.status, again.form.oauth_problem]).toEqual([401, 'token_revoked']);
  });

  test('parallel refreshes of one token issue exactly one new pair', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token, sessionHandle } = await xauthAccess(client, alice);
    const results = await Promise.all(Array.from({ length: 5 }, () => client.refresh(token, sessionHandle)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => r.form.oauth_problem)).toEqual(Array(4).fill('token_revoked'));
    // Unlike an OAuth 2.0 refresh replay, losing the race revokes nothing else: the winner's token
    // and the session handle keep working (why OAuth 1.0a needs no reuse grace period, see README).
    const winner = results.find((r) => r.status === 200)!;
    expect((await client.whoami(tokenOf(winner.form))).status).toBe(200);
    expect((await client.refresh(tokenOf(winner.form), sessionHandle)).status).toBe(200);
  });

  test('refresh must be signed with the old token secret', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token, sessionHandle } = await xauthAccess(client, alice);
    const result = await client.refresh({ key: token.key, secret: 'wrong' }, sessionHandle);
    expect([result.status, result.form.oauth_problem]).toEqual([401, 'signature_invalid']);
  });

  test('a session handle works only for its consumer', async () => {
    const mine = new OAuth1Client(gw, consumer);
    const theirs = new OAuth1Client(gw, await gw.consumer({ name: 'Other', xauth: true }));
    const a = await xauthAccess(mine, alice);
    const b = await xauthAccess(theirs, alice);
    const result = await theirs.refresh(b.token, a.sessionHandle);
    expect([result.status, result.form.oauth_problem]).toEqual([403, 'permission_denied']);
  });

  test("a handle of the same consumer's other session does not refresh this token", async () => {
    const client = new OAuth1Client(gw, consumer);
    const a = await xauthAccess(client, alice);
    const b = await xauthAccess(client, alice);
    const result = await client.refresh(a.token, b.sessionHandle);
    expect([result.status, result.form.oauth_problem]).toEqual([403, 'permission_denied']);
  });

  test('a revoked session answers permission_denied', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token, sessionHandle } = await xauthAccess(client, alice);
    await gw.deps.store.oauth1Sessions.revoke(tokenDigest(sessionHandle), gw.clock());
    const result = await client.refresh(token, sessionHandle);
    expect([result.status, result.form.oauth_problem]).toEqual([403, 'permission_denied']);
  });

  test('an expired session answers permission_denied', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token, sessionHandle } = await xauthAccess(client, alice);
    gw.clock.advance(SESSION_SECONDS * 1000);
    try {
      const result = await client.refresh(token, sessionHandle);
      expect([result.status, result.form.oauth_problem]).toEqual([403, 'permission_denied']);
    } finally {
      gw.clock.advance(-SESSION_SECONDS * 1000);
    }
  });

  test('a refreshed token never outlives its session', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token, sessionHandle } = await xauthAccess(client, alice);
    gw.clock.advance((SESSION_SECONDS - 600) * 1000);
    try {
      const refreshed = await client.refresh(token, sessionHandle);
      expect([refreshed.form.oauth_expires_in, refreshed.form.oauth_authorization_expires_in]).toEqual(['600', '600']);
    } finally {
      gw.clock.advance(-(SESSION_SECONDS - 600) * 1000);
    }
  });

  test('a missing session handle is reported as parameter_absent', async () => {
    const client = new OAuth1Client(gw, consumer);
    const { token } = await xauthAccess(client, alice);
    const result = await client.send('POST', '/oauth/refresh_access_token', {}, token);
    expect([result.status, result.form.oauth_problem, result.form.oauth_parameters_absent]).toEqual([400, 'parameter_absent', 'oauth_session_handle']);
  });

  test('no secret, token or password reaches the logs', async () => {
    const logs = logWindow(gw);
    const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'query');
    const { token, sessionHandle } = await xauthAccess(client, alice);
    expect((await client.refresh({ key: token.key, secret: 'not-the-secret' }, sessionHandle)).status).toBe(401);
    const refreshed = await client.refresh(token, sessionHandle);
    expect(refreshed.status).toBe(200);
    expect((await client.whoami(tokenOf(refreshed.form))).status).toBe(200);
    expect((await client.whoami(token)).status).toBe(401);
    expect(logs.text()).toContain('/oauth/refresh_access_token');
    expect(logs.leakedSecrets()).toEqual([]);
  });
});

describe('refresh on two gateways sharing Redis and the database', () => {
  let nodeA: OAuth1Gateway;
  let nodeB: OAuth1Gateway;
  let consumer: ConsumerCredentials;

  beforeAll(async () => {
    nodeA = await startOAuth1Gateway({ cache: 'redis' });
    nodeB = await startOAuth1Gateway({ sharing: nodeA });
    await nodeA.fixtures.user(alice.username, alice.password);
    consumer = await nodeA.consumer({ name: 'Two Nodes', xauth: true });
  });
  afterAll(async () => {
    await nodeB.close();
    await nodeA.close();
  });

  test('the other node drops its cached copy of the refreshed token', async () => {
    const onA = new OAuth1Client(nodeA, consumer);
    const onB = new OAuth1Client(nodeB, consumer);
    const { token, sessionHandle } = await xauthAccess(onA, alice);
    nodeB.remember(consumer.secret, alice.password, token.key, token.secret, sessionHandle);
    expect((await onB.whoami(token)).status).toBe(200); // cached on B
    expect((await onA.refresh(token, sessionHandle)).status).toBe(200);
    // Delivery over pub/sub is asynchronous; B's clock stands still, so only the message can evict.
    const old = await eventually(
      () => onB.whoami(token),
      (r) => r.status !== 200,
      5000,
    );
    expect([old.status, old.form.oauth_problem]).toEqual([401, 'token_revoked']);
  });

  test('no secret, token or password reaches the logs of either node', async () => {
    const logsA = logWindow(nodeA);
    const logsB = logWindow(nodeB);
    const onA = new OAuth1Client(nodeA, consumer);
    const onB = new OAuth1Client(nodeB, consumer);
    const { token, sessionHandle } = await xauthAccess(onA, alice);
    expect((await onB.whoami(token)).status).toBe(200);
    expect((await onA.refresh(token, sessionHandle)).status).toBe(200);
    expect((await eventually(() => onB.whoami(token), (r) => r.status !== 200, 10_000)).status).toBe(401);
    expect(logsA.text()).toContain('/oauth/refresh_access_token');
    expect(logsB.text()).toContain('/oauth/whoami');
    expect([...logsA.leakedSecrets(nodeB.secrets()), ...logsB.leakedSecrets(nodeA.secrets())]).toEqual([]);
  });
});
