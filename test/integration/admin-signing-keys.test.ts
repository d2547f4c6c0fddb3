import { startAdminApiGateway, type AdminApiGateway } from '../helpers/admin-api';

// The OpenID Connect signing keys through the admin API over real HTTP (SQLite and PostgreSQL):
// the same rules as `keys list | rotate | retire`, what the JWKS then publishes, who may do it,
// and that nothing private leaves.

jest.setTimeout(60_000);

describe.each(['sqlite', 'postgres'] as const)('on %s', (database) => {
  let a: AdminApiGateway;
  beforeAll(async () => {
    a = await startAdminApiGateway({ database });
  });
  afterAll(async () => {
    await a?.gw.close();
  });

  const keys = async () => (await a.api('GET', '/signing-keys')).json.items as Array<{ kid: string; alg: string; state: string; published_until: string | null }>;
  const published = async () => ((await a.gw.request('/oauth2/jwks')).json.keys as Array<{ kid: string }>).map((k) => k.kid);

  test('the list names every key by kid, algorithm and state, and holds no private key', async () => {
    const res = await a.api('GET', '/signing-keys', { token: a.tokens.auditor });
    expect(res.status).toBe(200);
    const items = res.json.items as any[];
    expect(items.map((k) => `${k.alg} ${k.state}`)).toEqual(expect.arrayContaining(['RS256 active', 'RS256 next', 'ES256 active', 'ES256 next']));
    for (const k of items) expect(Object.keys(k).sort()).toEqual(['activated_at', 'alg', 'created_at', 'kid', 'published_until', 'retired_at', 'state']);
    const rows = await a.gw.deps.store.signingKeys.list();
    for (const row of rows) expect(res.text).not.toContain(row.secretEnc);
  });

  test('rotate one algorithm: its next key signs, the active one retires and stays published, a new next key is published', async () => {
    const before = (await keys()).filter((k) => k.alg === 'ES256' && k.state !== 'retired');
    const active = before.find((k) => k.state === 'active')!;
    const next = before.find((k) => k.state === 'next')!;
    const res = await a.api('POST', '/signing-keys/rotate', { body: { alg: 'ES256' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ promoted: [next.kid], retired: [active.kid], made: [expect.any(String)] });
    const after = await keys();
    expect(after.find((k) => k.kid === next.kid)?.state).toBe('active');
    expect(after.find((k) => k.kid === active.kid)).toMatchObject({ state: 'retired', published_until: expect.any(String) });
    expect(await published()).toEqual(expect.arrayContaining([active.kid, next.kid, res.json.made[0]]));
    const audit = (await a.api('GET', '/audit?target_kind=signing_key&operation=rotateSigningKeys')).json.items;
    expect(audit[0]).toMatchObject({ target: 'ES256', outcome: 'success', source: 'api', actor: 'root' });
  });

  test('retire: an active key hands over to the next one; an unknown kid is 404, a retired one 409', async () => {
    const rs = (await keys()).filter((k) => k.alg === 'RS256');
    const active = rs.find((k) => k.state === 'active')!;
    const next = rs.find((k) => k.state === 'next')!;
    const res = await a.api('POST', `/signing-keys/${encodeURIComponent(active.kid)}/retire`);
    expect([res.status, res.json]).toEqual([200, { retired: active.kid, promoted: next.kid }]);
    const again = await a.api('POST', `/signing-keys/${encodeURIComponent(active.kid)}/retire`);
    expect([again.status, again.json.code]).toEqual([409, 'conflict']);
    expect((await a.api('POST', '/signing-keys/no-such-kid/retire')).status).toBe(404);
    const audit = (await a.api('GET', `/audit?target_kind=signing_key&target=${encodeURIComponent(active.kid)}`)).json.items.map((e: any) => e.outcome);
    expect(audit).toEqual(['refused', 'success']);
  });

  test('admin_read may list but not rotate; a wrong algorithm is 400', async () => {
    expect((await a.api('POST', '/signing-keys/rotate', { token: a.tokens.auditor, body: {} })).status).toBe(403);
    const bad = await a.api('POST', '/signing-keys/rotate', { body: { alg: 'HS256' } });
    expect([bad.status, bad.json.code]).toEqual([400, 'invalid_input']);
  });
});
