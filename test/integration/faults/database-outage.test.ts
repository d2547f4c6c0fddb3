import { form } from '../../helpers/gateway';
import { Browser, OAuth1Client, startOAuth1Gateway, type OAuth1Gateway } from '../../helpers/oauth1';
import { logWindow } from '../../helpers/log-window';
import { linesMatching, outageEnded, outageStarted, WARN } from '../../helpers/outage-log';
import { startPrivatePostgres, type PrivatePostgres } from '../../helpers/private-postgres';
import { eventually } from '../../helpers/redis';

// A PostgreSQL that is frozen (SIGSTOP: connections open, nothing answers) or stopped: requests that
// need it answer 503 temporarily_unavailable with Retry-After in their own format within the
// configured time limits instead of hanging or answering 500, /readyz says which part is down, the
// log says so once per outage with a count, and everything works again without a restart.

const problemType = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html';
const alice = { username: 'alice', password: 'alice-password-1' };

let pg: PrivatePostgres;
let gw: OAuth1Gateway;
let consumer: { key: string; secret: string };

beforeAll(async () => {
  pg = await startPrivatePostgres();
  gw = await startOAuth1Gateway({
    database: 'postgres',
    postgresUrl: pg.url,
    // The smallest limits, so a frozen database costs a request one or two seconds.
    config: { database: { connectTimeoutSeconds: 1, statementTimeoutSeconds: 1, queryTimeoutSeconds: 2 }, server: { readyTimeoutSeconds: 1 } },
  });
  const profile = await gw.fixtures.profile('staff', ['api_access']);
  await gw.fixtures.user(alice.username, alice.password, { profile });
  await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password', public: true });
  consumer = await gw.consumer({ name: 'Trusted', xauth: true });
}, 60_000);

afterAll(async () => {
  pg?.thaw();
  await gw?.close();
  await pg?.destroy();
});

const passwordGrant = () => {
  const f = form({ grant_type: 'password', username: alice.username, password: alice.password, client_id: 'app' });
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: f.headers });
};
const whoami = (token: string) => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${token}` } });

function expectRetryLater(headers: Headers): void {
  expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
  expect(headers.get('cache-control')).toBe('no-store');
}

/** Waits for the outage's closing line and returns its count of refused requests. */
async function outageEndCount(window: ReturnType<typeof logWindow>): Promise<unknown> {
  const ended = await eventually(async () => linesMatching(window, outageEnded('the database')), (lines) => lines.length > 0, 20_000, 100);
  expect(ended).toHaveLength(1);
  expect(ended[0]!.level).toBe(WARN);
  return ended[0]!.refused;
}

test('frozen database: an uncached bearer token, the token endpoint and /readyz answer 503 within the limits; all recover when thawed', async () => {
  const issued = await passwordGrant();
  expect(issued.status).toBe(200);
  const window = logWindow(gw);
  pg.freeze();
  try {
    // Never verified on this node, so only the database can say whether it is valid.
    const bearer = await whoami(issued.json.access_token);
    expect(bearer.status).toBe(503);
    expect(bearer.json.error).toBe('temporarily_unavailable');
    expectRetryLater(bearer.headers);

    const token = await passwordGrant();
    expect(token.status).toBe(503);
    expect(token.json).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expectRetryLater(token.headers);

    const ready = await gw.request('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'unavailable', database: { ok: false }, cache: { ok: true } });
  } finally {
    pg.thaw();
  }
  expect((await gw.request('/readyz')).status).toBe(200);
  expect((await whoami(issued.json.access_token)).status).toBe(200);
  expect((await passwordGrant()).status).toBe(200);

  expect(linesMatching(window, outageStarted('the database'))).toHaveLength(1);
  expect(await outageEndCount(window)).toBe(2);
  expect(window.text()).not.toContain('unhandled error');
});

test('stopped database: every format answers 503 with Retry-After, logged once with a count, and it recovers without a restart', async () => {
  const window = logWindow(gw);
  await pg.stop();
  let refused = 0;
  try {
    const token = await passwordGrant();
    expect(token.status).toBe(503);
    expect(token.json.error).toBe('temporarily_unavailable');
    expectRetryLater(token.headers);
    refused += 1;

    const body = JSON.stringify({ grant_type: 'password', username: alice.username, password: alice.password, client_id: 'app' });
    const clearpass = await gw.request('/api/oauth', { method: 'POST', body, headers: { 'content-type': 'application/json', accept: 'application/json' } });
    expect(clearpass.status).toBe(503);
    expect(clearpass.json).toEqual({ type: problemType, title: 'temporarily_unavailable', status: 503, detail: expect.any(String) });
    expectRetryLater(clearpass.headers);
    refused += 1;

    const oauth1 = await new OAuth1Client(gw, consumer).send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
    expect(oauth1.status).toBe(503);
    expect(oauth1.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.keys(oauth1.form)).toEqual(['oauth_problem_advice']);
    expectRetryLater(oauth1.headers);
    refused += 1;

    const browser = new Browser(gw.url);
    const page = await browser.get('/login');
    expect(page.status).toBe(200);
    const signIn = await browser.submit(page, alice);
    expect(signIn.status).toBe(503);
    expect(signIn.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(signIn.text).toContain('<h1>Please try again shortly</h1>');
    expectRetryLater(signIn.headers);
    refused += 1;

    // Told once, not once per request, and without a stack trace.
    const started = linesMatching(window, outageStarted('the database'));
    expect(started).toHaveLength(1);
    expect(started[0]!.level).toBe(WARN);
    expect(JSON.stringify(started[0])).not.toContain('stack');
    expect(window.text()).not.toContain('unhandled error');
    expect(window.text()).not.toContain('"status":500');
  } finally {
    await pg.start();
  }
  expect(await outageEndCount(window)).toBe(refused);
  expect((await passwordGrant()).status).toBe(200);
  expect((await new OAuth1Client(gw, consumer).send('POST', '/oauth/request_token', { oauth_callback: 'oob' })).status).toBe(200);
  expect(window.leakedSecrets()).toEqual([]);
});
