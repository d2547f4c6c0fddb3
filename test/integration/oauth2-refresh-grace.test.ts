import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';

// The concurrent refresh race (issue 14 item 6) over real HTTP, on two nodes sharing one database:
// the same refresh token sent to both at once. Within oauth2.refreshReuseGraceSeconds both answers
// carry working tokens; reuse after the grace period still revokes the family.

describe.each(['sqlite', 'postgres'] as const)('refresh reuse grace period on %s', (database) => {
  let a: TestGateway;
  let b: TestGateway;
  let secret: string;

  beforeAll(async () => {
    const config = { oauth2: { refreshReuseGraceSeconds: 5 } };
    a = await startTestGateway({ database, cache: 'redis', config });
    b = await startTestGateway({ database, cache: 'redis', config, sharing: a });
    const profile = await a.fixtures.profile('staff', ['api_access']);
    await a.fixtures.user('rita', 'rita-password-1', { profile });
    secret = (await a.fixtures.client({ id: 'app', name: 'App', grants: 'password,refresh_token', scopes: 'read' })).secret!;
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const token = (gw: TestGateway, values: Record<string, string>) => {
    const f = form(values);
    return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth('app', secret) } });
  };
  const login = async () => (await token(a, { grant_type: 'password', username: 'rita', password: 'rita-password-1' })).json as { access_token: string; refresh_token: string };
  const refresh = (gw: TestGateway, refreshToken: string) => token(gw, { grant_type: 'refresh_token', refresh_token: refreshToken });
  const whoami = (gw: TestGateway, accessToken: string) => gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${accessToken}` } });

  test('the same refresh token sent to two nodes at once: both answers work and their tokens stay alive (20 trials)', async () => {
    // One sign-in (a password check costs a scrypt), then 20 races, each with the newest token.
    let current = (await login()).refresh_token;
    for (let trial = 0; trial < 20; trial++) {
      const answers = await Promise.all([refresh(a, current), refresh(b, current)]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      for (const answer of answers) {
        // Alive on both nodes, and the new refresh token works in turn.
        expect((await whoami(a, answer.json.access_token)).status).toBe(200);
        expect((await whoami(b, answer.json.access_token)).status).toBe(200);
      }
      const next = await Promise.all(answers.map((answer, i) => refresh(i === 0 ? a : b, answer.json.refresh_token)));
      expect(next.map((r) => r.status)).toEqual([200, 200]);
      current = next[0].json.refresh_token;
    }
  }, 120_000);

  test('reuse after the grace period revokes the family, the pair the first use issued included', async () => {
    const first = await login();
    const second = (await refresh(a, first.refresh_token)).json;
    a.clock.advance(5000);
    b.clock.advance(5000);
    const replay = await refresh(b, first.refresh_token);
    expect([replay.status, replay.json.error]).toEqual([400, 'invalid_grant']);
    expect((await whoami(a, second.access_token)).status).toBe(401);
    expect((await refresh(a, second.refresh_token)).json.error).toBe('invalid_grant');
  });
});
