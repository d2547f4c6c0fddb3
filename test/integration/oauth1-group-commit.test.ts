import { disableConsumer } from '../../src/accounts/admin';
import { tokenDigest } from '../../src/crypto';
import { OAuth1Client, startOAuth1Gateway, tokenOf, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { holdingSqliteWriter, holdingWrites } from '../helpers/held-writes';
import { onPostgres } from '../helpers/postgres';

// OAuth 1.0a issuance under group commit (issue 13 item 1), over real HTTP on SQLite and
// PostgreSQL: xAuth sessions issued and access tokens refreshed by many requests at once each get
// their own answer, the refreshes in fewer transactions than requests (PostgreSQL: a trigger notes the top-level
// transaction of each access token row; SQLite: the store's writer); and a consumer disabled on the
// node is refused there at once, though the node keeps consumer rows in memory.

// Within the password hashing queue (hashing.maxQueued), so no request is turned away; one user
// each, as the lockout counts a sign-in in progress as a possible failure.
const N = 12;

describe.each(['sqlite', 'postgres'] as const)('OAuth 1.0a issuance under group commit on %s', (database) => {
  let gw: OAuth1Gateway;
  let consumer: ConsumerCredentials;
  const users = Array.from({ length: N }, (_, i) => ({ username: `user${i}`, password: `user-password-${i}` }));

  beforeAll(async () => {
    gw = await startOAuth1Gateway({ database });
    if (database === 'postgres') {
      const { url, schema } = gw.shared.schema!;
      await onPostgres(url, async (ds) => {
        await ds.query(`CREATE TABLE "${schema}".inserted_in (digest text PRIMARY KEY, tx bigint NOT NULL)`);
        await ds.query(`CREATE FUNCTION "${schema}".note_tx() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO "${schema}".inserted_in VALUES (NEW.digest, txid_current()); RETURN NEW; END $$`);
        await ds.query(`CREATE TRIGGER note_tx AFTER INSERT ON "${schema}".oauth1_access_tokens FOR EACH ROW EXECUTE FUNCTION "${schema}".note_tx()`);
      });
    }
    for (const user of users) await gw.fixtures.user(user.username, user.password);
    consumer = await gw.consumer({ name: 'Mobile', xauth: true });
  });

  afterAll(async () => {
    await gw?.close();
  });

  /** How many transactions inserted the tokens (PostgreSQL: the trigger's notes; SQLite: the writer's commits for the burst). */
  async function transactionsBehind(tokens: string[], sqliteCommits: number): Promise<number> {
    if (database === 'sqlite') return sqliteCommits;
    const { url, schema } = gw.shared.schema!;
    const rows = await onPostgres(url, (ds) => ds.query(`SELECT count(DISTINCT tx)::int AS n FROM "${schema}".inserted_in WHERE digest = ANY($1)`, [tokens.map(tokenDigest)]));
    return rows[0].n as number;
  }

  const xauth = (client: OAuth1Client, user = users[0]) =>
    client.send('POST', '/oauth/xauth_access_token', { x_auth_username: user.username, x_auth_password: user.password, x_auth_mode: 'client_auth' });

  test(`${N} xAuth sessions at once, then ${N} refreshes at once: each its own working token, the refreshes in fewer transactions than requests`, async () => {
    const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body');
    // The sign-ins reach the store one or two at a time (the password hashing runs hashing.maxConcurrent
    // at once), so only their answers are checked here; the refreshes arrive together.
    const issued = await Promise.all(users.map((user) => xauth(client, user)));
    expect(issued.map((r) => r.status)).toEqual(issued.map(() => 200));
    for (const r of issued) gw.remember(r.form.oauth_token, r.form.oauth_token_secret, r.form.oauth_session_handle);
    expect(new Set(issued.map((r) => r.form.oauth_token)).size).toBe(N);

    const refreshAll = () => Promise.all(issued.map((r) => client.refresh(tokenOf(r.form), r.form.oauth_session_handle)));
    // The refreshes are let through once all of them wait at the writer (a loaded machine would
    // otherwise spread them over as many transactions as it likes): on PostgreSQL behind a table
    // lock, on SQLite behind a transaction of the test's own.
    let sqliteCommits = 0;
    let refreshed: Awaited<ReturnType<typeof refreshAll>>;
    if (database === 'postgres') refreshed = await holdingWrites(gw.shared.schema!, ['oauth1_access_tokens'], gw.deps.store, N, refreshAll);
    else ({ answered: refreshed, commits: sqliteCommits } = await holdingSqliteWriter(gw.deps.store, N, refreshAll));
    expect(refreshed.map((r) => r.status)).toEqual(issued.map(() => 200));
    for (const r of refreshed) gw.remember(r.form.oauth_token, r.form.oauth_token_secret);
    const transactions = await transactionsBehind(refreshed.map((r) => r.form.oauth_token), sqliteCommits);
    expect(transactions).toBeGreaterThan(0);
    expect(transactions).toBeLessThan(N / 2);
    // Each new token works and continues its own session; each old one is retired.
    for (let i = 0; i < N; i++) {
      const renewed = await gw.deps.store.oauth1AccessTokens.find(tokenDigest(refreshed[i].form.oauth_token));
      expect(renewed?.sessionDigest).toBe(tokenDigest(issued[i].form.oauth_session_handle));
      expect((await gw.deps.store.oauth1AccessTokens.find(tokenDigest(issued[i].form.oauth_token)))?.revokedAt).not.toBeNull();
    }
    expect((await client.whoami(tokenOf(refreshed[5].form))).json?.username).toBe('user5');
  });

  test('one access token refreshed twice at once: exactly one refresh wins', async () => {
    const client = new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body');
    const first = await xauth(client);
    gw.remember(first.form.oauth_token, first.form.oauth_token_secret, first.form.oauth_session_handle);
    const both = await Promise.all([0, 1].map(() => client.refresh(tokenOf(first.form), first.form.oauth_session_handle)));
    for (const r of both) gw.remember(r.form.oauth_token, r.form.oauth_token_secret);
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  test('a consumer disabled on the node is refused there at once, though its row was in memory', async () => {
    const own = await gw.consumer({ name: 'Soon disabled', xauth: true });
    const client = new OAuth1Client(gw, own, 'HMAC-SHA1', 'body');
    const ok = await xauth(client);
    gw.remember(ok.form.oauth_token, ok.form.oauth_token_secret, ok.form.oauth_session_handle);
    expect(ok.status).toBe(200);
    await disableConsumer(gw.deps, own.key);
    const refused = await xauth(client);
    expect([refused.status, refused.form.oauth_problem]).toEqual([401, 'consumer_key_rejected']);
  });
});
