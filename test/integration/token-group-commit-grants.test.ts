import { randomToken, tokenDigest } from '../../src/crypto';
import { UNNAMED_REDIRECT_URI } from '../../src/oauth2/authorization-codes';
import type { UserRow } from '../../src/storage/types';
import { basicAuth, form, startTestGateway, type HttpResult, type TestGateway } from '../helpers/gateway';
import { holdingSqliteWriter, holdingWrites } from '../helpers/held-writes';
import { onPostgres } from '../helpers/postgres';

// Group commit for the grants that consume something first (issue 13 item 1): authorization codes
// redeemed and refresh tokens rotated by many requests at once, over real HTTP, on SQLite and on
// PostgreSQL. Each request gets its own correct answer, a code redeemed twice at once wins once, and
// the requests share commits: on PostgreSQL PostgreSQL itself says so (a trigger records, for each
// token row, txid_current(): the id of the top-level transaction, the same in every savepoint of
// it), on SQLite the store's writer (every write goes through it).

const N = 40;

describe.each(['sqlite', 'postgres'] as const)('grants under group commit on %s', (database) => {
  let gw: TestGateway;
  let secret: string;
  let user: UserRow;

  beforeAll(async () => {
    gw = await startTestGateway({ database });
    user = await gw.fixtures.user('alice', 'alice-password-1');
    if (database === 'postgres') await recordTransactionIds();
    secret = (await gw.fixtures.client({ id: 'web', name: 'Web', grants: 'authorization_code,refresh_token', redirectUris: ['https://app.example/cb'], scopes: 'read' })).secret!;
  });

  afterAll(async () => {
    await gw?.close();
  });

  /** An authorization code for alice and 'web', straight into the store (no browser needed to batch them). */
  async function newCode(): Promise<string> {
    const value = randomToken();
    gw.remember(value);
    const now = gw.clock();
    await gw.deps.store.authorizationCodes.insert({
      digest: tokenDigest(value),
      clientId: 'web',
      userId: user.id,
      redirectUri: UNNAMED_REDIRECT_URI,
      scope: 'read',
      codeChallenge: null,
      codeChallengeMethod: null,
      expiresAt: now + 60_000,
      consumedAt: null,
      createdAt: now,
    });
    return value;
  }

  function token(values: Record<string, string>): Promise<HttpResult> {
    const f = form(values);
    return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('web', secret) } });
  }

  /**
   * A burst of requests, each writing once, let through once all of them wait at the writer (on
   * PostgreSQL behind a table lock, on SQLite behind a transaction of the test's own), so the count
   * of transactions measures the batching, not the machine's load. With the commits the SQLite
   * writer made for them (0 on PostgreSQL, where the trigger tells).
   */
  async function burst<T>(writes: number, send: () => Promise<T>): Promise<{ answered: T; sqliteCommits: number }> {
    if (database === 'sqlite') {
      const { answered, commits } = await holdingSqliteWriter(gw.deps.store, writes, send);
      return { answered, sqliteCommits: commits };
    }
    return { answered: await holdingWrites(gw.shared.schema!, ['oauth2_access_tokens', 'oauth2_refresh_tokens'], gw.deps.store, writes, send), sqliteCommits: 0 };
  }

  const redeem = (code: string) => token({ grant_type: 'authorization_code', code });
  const refresh = (refreshToken: string) => token({ grant_type: 'refresh_token', refresh_token: refreshToken });

  /** A trigger on the token tables of the gateway's schema that notes which transaction inserted each row. */
  async function recordTransactionIds(): Promise<void> {
    const { url, schema } = gw.shared.schema!;
    await onPostgres(url, async (ds) => {
      await ds.query(`CREATE TABLE "${schema}".inserted_in (digest text PRIMARY KEY, tx bigint NOT NULL)`);
      await ds.query(`CREATE FUNCTION "${schema}".note_tx() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO "${schema}".inserted_in VALUES (NEW.digest, txid_current()); RETURN NEW; END $$`);
      for (const table of ['oauth2_access_tokens', 'oauth2_refresh_tokens']) {
        await ds.query(`CREATE TRIGGER note_tx AFTER INSERT ON "${schema}"."${table}" FOR EACH ROW EXECUTE FUNCTION "${schema}".note_tx()`);
      }
    });
  }

  /** How many transactions inserted the rows (PostgreSQL: the trigger's notes), or how many commits the writer made for the burst (SQLite). */
  async function transactionsBehind(digests: string[], sqliteCommits: number): Promise<number> {
    if (database === 'sqlite') return sqliteCommits;
    const { url, schema } = gw.shared.schema!;
    const rows = await onPostgres(url, (ds) => ds.query(`SELECT count(DISTINCT tx)::int AS n FROM "${schema}".inserted_in WHERE digest = ANY($1)`, [digests]));
    return rows[0].n as number;
  }

  test(`${N} codes redeemed at once: each request gets the tokens of its own code, in fewer commits than requests`, async () => {
    const codes = await Promise.all(Array.from({ length: N }, () => newCode()));
    const { answered: results, sqliteCommits } = await burst(N, () => Promise.all(codes.map(redeem)));
    expect(results.map((r) => r.status)).toEqual(codes.map(() => 200));
    const rows = await Promise.all(results.map((r) => gw.deps.store.accessTokens.find(tokenDigest(r.json.access_token))));
    // Each answer's access token was issued from the code that request presented, and is stored.
    expect(rows.map((row) => row?.codeDigest)).toEqual(codes.map(tokenDigest));
    expect(new Set(results.map((r) => r.json.refresh_token)).size).toBe(N);
    const transactions = await transactionsBehind(rows.map((row) => row!.digest), sqliteCommits);
    expect(transactions).toBeGreaterThan(0);
    expect(transactions).toBeLessThan(N / 2);
  });

  test('each code redeemed twice at once, in the same batches: exactly one redemption of each wins', async () => {
    const codes = await Promise.all(Array.from({ length: N / 2 }, () => newCode()));
    const results = await Promise.all(codes.flatMap((code) => [redeem(code), redeem(code)]));
    for (let i = 0; i < codes.length; i++) {
      const pair = [results[2 * i], results[2 * i + 1]];
      expect(pair.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(pair.find((r) => r.status === 400)!.json.error).toBe('invalid_grant');
    }
    // The loser's replay revokes what the winner got (RFC 6749 section 4.1.2), as without batching.
    for (const winner of results.filter((r) => r.status === 200)) {
      expect((await gw.deps.store.accessTokens.find(tokenDigest(winner.json.access_token)))?.revokedAt).not.toBeNull();
    }
  });

  test(`${N} refresh tokens rotated at once, mixed with unknown ones: each valid one gets its new pair, each unknown one invalid_grant`, async () => {
    const codes = await Promise.all(Array.from({ length: N }, () => newCode()));
    const first = await Promise.all(codes.map(redeem));
    const presented = first.map((r) => r.json.refresh_token as string);
    const unknown = Array.from({ length: 5 }, () => randomToken());
    const { answered: results, sqliteCommits } = await burst(N, () => Promise.all([...presented, ...unknown].map(refresh)));
    const rotated = results.slice(0, N);
    expect(rotated.map((r) => r.status)).toEqual(presented.map(() => 200));
    expect(results.slice(N).map((r) => r.json.error)).toEqual(unknown.map(() => 'invalid_grant'));
    // Each new refresh token continues the family of the one its request presented.
    for (let i = 0; i < N; i++) {
      const old = await gw.deps.store.refreshTokens.find(tokenDigest(presented[i]));
      const renewed = await gw.deps.store.refreshTokens.find(tokenDigest(rotated[i].json.refresh_token));
      expect(old?.rotatedAt).not.toBeNull();
      expect(renewed?.familyId).toBe(old?.familyId);
    }
    const transactions = await transactionsBehind(rotated.map((r) => tokenDigest(r.json.refresh_token)), sqliteCommits);
    expect(transactions).toBeGreaterThan(0);
    expect(transactions).toBeLessThan(N / 2);
  });
});

describe.each(['sqlite', 'postgres'] as const)('password grants under group commit on %s', (database) => {
  const users = Array.from({ length: 16 }, (_, i) => ({ username: `pw-user-${i}`, password: `pw-password-${i}` }));
  let gw: TestGateway;
  let secret: string;

  beforeAll(async () => {
    // Password checks run side by side (the default of two at a time would space the requests out).
    gw = await startTestGateway({ database, config: { hashing: { maxConcurrent: 16 } } });
    for (const user of users) await gw.fixtures.user(user.username, user.password);
    secret = (await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password,refresh_token', scopes: 'read' })).secret!;
  });

  afterAll(async () => {
    await gw?.close();
  });

  // The password grant issues without a unit of work (new rows only: the access and the refresh
  // token, two writes). On SQLite its rows join the group commit, checked here with the writer held
  // until every request's rows wait (the password checks end a few at a time, and a loaded machine
  // spreads them further); on PostgreSQL they go in as multi-row INSERTs, which gather rows only
  // while earlier INSERTs of the table are in flight (three at a time): requests that finish their
  // password checks a few at a time, as these do, are written as they come. So the commit count is
  // checked on SQLite.
  test('16 password grants at once (one per user): each gets tokens of its own user (on SQLite in fewer commits than requests)', async () => {
    const send = () =>
      Promise.all(
        users.map((user) => {
          const f = form({ grant_type: 'password', username: user.username, password: user.password });
          return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret) } });
        }),
      );
    let commits = 0;
    let results: Awaited<ReturnType<typeof send>>;
    if (database === 'sqlite') ({ answered: results, commits } = await holdingSqliteWriter(gw.deps.store, 2 * users.length, send));
    else results = await send();
    expect(results.map((r) => r.status)).toEqual(users.map(() => 200));
    const owners = await Promise.all(results.map(async (r) => (await gw.deps.store.accessTokens.find(tokenDigest(r.json.access_token)))?.userId));
    const ids = await Promise.all(users.map(async (u) => (await gw.deps.store.users.findByUsername(u.username))?.id));
    expect(owners).toEqual(ids);
    if (database === 'sqlite') {
      expect(commits).toBeGreaterThan(0);
      expect(commits).toBeLessThan(users.length);
    }
  });
});
