import sqlite3 from 'sqlite3';
import { sqliteFile } from '../../../src/storage';
import { basicAuth, form, startTestGateway, type TestGateway } from '../../helpers/gateway';
import { logWindow } from '../../helpers/log-window';
import { linesMatching, outageStarted } from '../../helpers/outage-log';

// SQLite: another process (the CLI, a backup script) holding the write lock past the busy timeout
// (database.statementTimeoutSeconds) makes a write answer 503 temporarily_unavailable, not 500, and
// the writes work again once the lock is released.

let gw: TestGateway;
let secret: string;

beforeEach(async () => {
  gw = await startTestGateway({ config: { database: { statementTimeoutSeconds: 1 } } });
  secret = (await gw.fixtures.client({ id: 'svc', name: 'Service', grants: 'client_credentials' })).secret!;
});
afterEach(() => gw.close());

const issue = () => {
  const f = form({ grant_type: 'client_credentials' });
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('svc', secret) } });
};

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, (err) => (err ? reject(err) : resolve())));
}

test('a write lock held by another process past the busy timeout: 503 with Retry-After, logged once; then writes work again', async () => {
  const issued = await issue();
  expect(issued.status).toBe(200);
  const window = logWindow(gw);
  const other = new sqlite3.Database(sqliteFile(gw.shared.dataDir!));
  try {
    await run(other, 'BEGIN IMMEDIATE');
    const refused = await issue();
    expect(refused.status).toBe(503);
    expect(refused.json.error).toBe('temporarily_unavailable');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Reading goes on beside the lock (WAL): a token verified from the database still works.
    expect((await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${issued.json.access_token}` } })).status).toBe(200);
    await run(other, 'ROLLBACK');
  } finally {
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
  expect((await issue()).status).toBe(200);
  expect(linesMatching(window, outageStarted('the database'))).toHaveLength(1);
  expect(window.text()).not.toContain('unhandled error');
});
