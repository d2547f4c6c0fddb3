import { randomBytes } from 'node:crypto';
import { adminApiOn, type AdminApiGateway } from '../helpers/admin-api';
import { cliRunner, jsonOf, refusedWith } from '../helpers/cli';
import { OAuth1Client, startOAuth1Gateway, xauthAccess, type ConsumerCredentials, type OAuth1Gateway, type Token } from '../helpers/oauth1';
import { eventually } from '../helpers/redis';

// A grace period for a consumer's rotated secret (POST /consumers/{key}/rotate-secret
// {grace_seconds}, `consumer rotate-secret KEY --grace S`), over real HTTP with two nodes sharing
// the database (SQLite with the in-memory cache: the revocation log alone reaches the other node;
// PostgreSQL with Redis). Until the period ends the old secret still signs and the consumer's
// tokens from before keep working on both nodes; then both end, while the new secret and tokens
// issued with it go on. Time is the nodes' shared manual clock.

jest.setTimeout(90_000);

const GRACE_SECONDS = 30;
// Long enough for a loaded machine (the log is read about once a second).
const NOTICED_WITHIN_MS = 8_000;

describe.each([
  ['sqlite', 'memory'],
  ['postgres', 'redis'],
] as const)('on %s with the %s cache', (database, cache) => {
  let a: OAuth1Gateway;
  let b: OAuth1Gateway;
  let admin: AdminApiGateway;

  beforeAll(async () => {
    a = await startOAuth1Gateway({ database, cache });
    b = await startOAuth1Gateway({ sharing: a });
    admin = await adminApiOn(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const whoami = (gw: OAuth1Gateway, consumer: ConsumerCredentials, token: Token) => new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').whoami(token);

  /** A consumer, a user's OAuth 1.0a token for it, cached on both nodes. */
  async function consumerWithToken() {
    const consumer = await a.consumer({ name: 'Mobile', xauth: true });
    const user = { username: `u-${randomBytes(4).toString('hex')}`, password: 'a-long-password' };
    await a.fixtures.user(user.username, user.password);
    const { token } = await xauthAccess(new OAuth1Client(a, consumer, 'HMAC-SHA1', 'header'), user);
    for (const gw of [a, b]) expect((await whoami(gw, consumer, token)).status).toBe(200);
    return { consumer, user, token };
  }

  test('during the grace period both secrets sign and the old tokens work on both nodes; after it, only the new secret and what it was given', async () => {
    const { consumer, user, token } = await consumerWithToken();
    const res = await admin.api('POST', `/consumers/${consumer.key}/rotate-secret`, { body: { grace_seconds: GRACE_SECONDS } });
    expect(res.status).toBe(200);
    expect(res.json.previous_secret_valid_until).toBe(new Date(a.clock() + GRACE_SECONDS * 1000).toISOString());
    const rotated: ConsumerCredentials = { ...consumer, secret: res.json.secret };
    a.remember(rotated.secret);

    // This node knows the new secret at once; the other within about a second (the log names the consumer).
    expect((await whoami(a, rotated, token)).status).toBe(200);
    expect((await eventually(() => whoami(b, rotated, token), (r) => r.status === 200, NOTICED_WITHIN_MS)).status).toBe(200);
    for (const gw of [a, b]) expect((await whoami(gw, consumer, token)).status).toBe(200);
    const issuedDuring = (await xauthAccess(new OAuth1Client(a, rotated, 'HMAC-SHA1', 'header'), user)).token;

    a.clock.advance(GRACE_SECONDS * 1000);
    for (const gw of [a, b]) {
      const oldSecret = await new OAuth1Client(gw, consumer, 'HMAC-SHA1', 'header').send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
      expect([oldSecret.status, oldSecret.form.oauth_problem]).toEqual([401, 'signature_invalid']);
      const oldToken = await whoami(gw, rotated, token);
      expect(oldToken.status).toBe(401);
      expect((await whoami(gw, rotated, issuedDuring)).status).toBe(200);
    }
    const fresh = await new OAuth1Client(b, rotated, 'HMAC-SHA1', 'header').send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
    expect(fresh.status).toBe(200);
    expect(a.leakedSecrets()).toEqual([]);
  });

  test('without a grace period the old secret and the tokens end at once', async () => {
    const { consumer, token } = await consumerWithToken();
    const res = await admin.api('POST', `/consumers/${consumer.key}/rotate-secret`, { body: {} });
    expect([res.status, res.json.previous_secret_valid_until]).toEqual([200, null]);
    const rotated: ConsumerCredentials = { ...consumer, secret: res.json.secret };
    a.remember(rotated.secret);
    expect((await whoami(a, consumer, token)).status).toBe(401);
    expect((await whoami(a, rotated, token)).status).toBe(401);
    expect((await eventually(() => whoami(b, consumer, token), (r) => r.status === 401, NOTICED_WITHIN_MS)).status).toBe(401);
  });

  test('a grace period is 0 to 7 days, in whole seconds (a bad one changes nothing); the audit entry holds no secret', async () => {
    const consumer = await a.consumer({ name: 'Bounds' });
    for (const grace_seconds of [-1, 1.5, 7 * 24 * 3600 + 1]) {
      const res = await admin.api('POST', `/consumers/${consumer.key}/rotate-secret`, { body: { grace_seconds } });
      expect([res.status, res.json.code]).toEqual([400, 'invalid_input']);
    }
    const ok = await admin.api('POST', `/consumers/${consumer.key}/rotate-secret`, { body: { grace_seconds: 7 * 24 * 3600 } });
    expect(ok.status).toBe(200);
    const audit = await admin.api('GET', `/audit?operation=rotateConsumerSecret&target=${consumer.key}`);
    // Requests the schema refuses never reach the change: one entry, the rotation that happened.
    expect(audit.json.items.map((e: any) => e.outcome)).toEqual(['success']);
    expect(audit.text).not.toContain(ok.json.secret);
  });
});

test('consumer rotate-secret --grace S: the old secret works until the time it prints; a bad value is refused', async () => {
  const cli = cliRunner();
  try {
    const created = jsonOf(await cli.run('consumer', 'add', '--name', 'Shell', '--json'));
    const before = Date.now();
    const rotated = jsonOf(await cli.run('consumer', 'rotate-secret', created.key, '--grace', '3600', '--json'));
    expect(rotated.secret).not.toBe(created.secret);
    const until = Date.parse(rotated.previous_secret_valid_until);
    expect(until).toBeGreaterThanOrEqual(before + 3600_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3600_000);
    refusedWith(await cli.run('consumer', 'rotate-secret', created.key, '--grace', 'soon'), '--grace');
    refusedWith(await cli.run('consumer', 'rotate-secret', created.key, '--grace', '604801'), 'grace period');
    expect(jsonOf(await cli.run('consumer', 'rotate-secret', created.key, '--json')).previous_secret_valid_until).toBeNull();
  } finally {
    cli.cleanup();
  }
});
