import { OAuth1Client, startOAuth1Gateway, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { counterValue } from '../helpers/metrics';
import { onPostgres } from '../helpers/postgres';

// Issue 19 item 1, database latency: every commit of the store (a group-commit batch, BEGIN to
// COMMIT; on PostgreSQL also a multi-row token INSERT) is timed in
// gateway_dependency_duration_seconds{dependency="database",operation="commit"}, and a commit that
// fails is counted in gateway_dependency_errors_total{dependency="database"}. Over real HTTP on
// SQLite and PostgreSQL.

const alice = { username: 'alice', password: 'alice-password-1' };

async function commitsTimed(gw: OAuth1Gateway): Promise<number> {
  const metric = gw.deps.metrics.registry.getSingleMetric('gateway_dependency_duration_seconds')!;
  const series = (await metric.get()).values.find(
    (v) => (v as { metricName?: string }).metricName === 'gateway_dependency_duration_seconds_count' && v.labels.dependency === 'database' && v.labels.operation === 'commit',
  );
  return series?.value ?? 0;
}

describe.each(['sqlite', 'postgres'] as const)('database commit latency on %s', (database) => {
  let gw: OAuth1Gateway;
  let consumer: ConsumerCredentials;

  beforeAll(async () => {
    gw = await startOAuth1Gateway({ database });
    await gw.fixtures.user(alice.username, alice.password);
    consumer = await gw.consumer({ name: 'Mobile', xauth: true });
  });

  afterAll(async () => {
    await gw?.close();
  });

  const xauth = () =>
    new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'body').send('POST', '/oauth/xauth_access_token', {
      x_auth_username: alice.username,
      x_auth_password: alice.password,
      x_auth_mode: 'client_auth',
    });

  test('a token issued over HTTP is committed, and the commit is timed; no error is counted', async () => {
    const timedBefore = await commitsTimed(gw);
    const errorsBefore = await counterValue(gw, 'gateway_dependency_errors_total', { dependency: 'database' });
    const committedBefore = gw.deps.store.commitStats().commits;
    const res = await xauth();
    expect(res.status).toBe(200);
    const committed = gw.deps.store.commitStats().commits - committedBefore;
    expect(committed).toBeGreaterThan(0);
    // Every commit the store made is one observation (the observer is told where it counts them).
    expect((await commitsTimed(gw)) - timedBefore).toBe(committed);
    expect(await counterValue(gw, 'gateway_dependency_errors_total', { dependency: 'database' })).toBe(errorsBefore);
    const text = (await gw.request('/metrics')).text;
    expect(text).toMatch(/gateway_dependency_duration_seconds_bucket\{le="0\.0001",dependency="database",operation="commit"\} \d+/);
    expect(text).toMatch(/gateway_dependency_duration_seconds_count\{dependency="database",operation="commit"\} [1-9]\d*/);
  });

  if (database === 'postgres') {
    test('a COMMIT the database refuses is counted as a database error and still timed', async () => {
      const { url, schema } = gw.shared.schema!;
      // A deferred constraint trigger runs at COMMIT: the batch's statements all succeed, the COMMIT fails.
      await onPostgres(url, async (ds) => {
        await ds.query(`CREATE FUNCTION "${schema}".refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'refused at commit by the test'; END $$`);
        await ds.query(`CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON "${schema}".oauth1_access_tokens
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_commit()`);
      });
      try {
        const timedBefore = await commitsTimed(gw);
        const errorsBefore = await counterValue(gw, 'gateway_dependency_errors_total', { dependency: 'database' });
        const res = await xauth();
        expect(res.status).toBe(500);
        expect(await counterValue(gw, 'gateway_dependency_errors_total', { dependency: 'database' })).toBe(errorsBefore + 1);
        expect(await commitsTimed(gw)).toBeGreaterThan(timedBefore);
      } finally {
        await onPostgres(url, (ds) => ds.query(`DROP TRIGGER refuse_commit ON "${schema}".oauth1_access_tokens`));
      }
      // The store goes on committing once the database accepts again.
      expect((await xauth()).status).toBe(200);
    });
  }
});
