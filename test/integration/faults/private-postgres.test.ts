// pg ships no type declarations (and @types/pg is not a dependency): the few calls used here, typed.
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require('pg') as { Client: new (config: object) => PgClient };
import { startPrivatePostgres, type PrivatePostgres } from '../../helpers/private-postgres';

// The helper every fault suite relies on: it must really stop, freeze and bring back a cluster.
async function selectOne(url: string, queryTimeoutMs = 0): Promise<string> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000, query_timeout: queryTimeoutMs || undefined });
  try {
    await client.connect();
    const result = await client.query('select 1 as one');
    return String(result.rows[0]!.one);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('private PostgreSQL cluster (test helper)', () => {
  let pg: PrivatePostgres;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.destroy();
  });

  it('answers, refuses while stopped, answers again after start on the same port', async () => {
    expect(await selectOne(pg.url)).toBe('1');
    await pg.stop();
    expect(await selectOne(pg.url)).toMatch(/^error: .*ECONNREFUSED/);
    await pg.start();
    expect(await selectOne(pg.url)).toBe('1');
    await pg.restart();
    expect(await selectOne(pg.url)).toBe('1');
  });

  it('frozen: a connection attempt gets no answer (times out), thawed: it answers', async () => {
    pg.freeze();
    try {
      expect(await selectOne(pg.url)).toMatch(/^error: .*timeout/i);
    } finally {
      pg.thaw();
    }
    expect(await selectOne(pg.url)).toBe('1');
  });

  it('frozen: an open connection gets no answer to a query until thawed', async () => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      pg.freeze();
      let answered = false;
      const pending = client.query('select 2 as two').then((r) => {
        answered = true;
        return String(r.rows[0]!.two);
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      pg.thaw();
      expect(await pending).toBe('2');
    } finally {
      pg.thaw();
      await client.end();
    }
  });
});
