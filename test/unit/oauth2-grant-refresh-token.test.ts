import { refreshTokenGrant } from '../../src/oauth2/grants';
import { REVOCATION_CHANNEL } from '../../src/revocation';
import type { ClientRow, UserRow } from '../../src/storage/types';
import { LIFETIMES, START, accessRow, addClient, addUser, cacheVerified, refreshRow, refusedWith, refusingAdmission, run, useGrantWorld } from '../helpers/grants';

// RFC 6749 section 6 with rotation over its narrow interface: the token tables and users of a real
// SQLite store (transactions included), the token issuer, the revocation channel, a manual clock.

const ctx = useGrantWorld();

function grant(refreshReuseGraceSeconds = 0) {
  const { store, issuer, clock, revocations, log } = ctx.world;
  return refreshTokenGrant({ store, issuer, clock, revocations, logger: log.logger, refreshReuseGraceSeconds });
}

/** A client, a user and a first pair of tokens from an earlier grant (as the password grant leaves them). */
async function issuedBefore(clientOptions: Partial<ClientRow> = {}, userOptions: Partial<UserRow> = {}) {
  const client = await addClient(ctx.store, { grants: ['password', 'refresh_token'], refresh: true, ...clientOptions });
  const user = await addUser(ctx.store, userOptions);
  const first = await ctx.world.issuer.issue({ client, userId: user.id, scope: ['read', 'write'], grantType: 'password', refresh: true }, ctx.world.clock());
  return { client, user, first, refresh: { grant_type: 'refresh_token', refresh_token: first.refreshToken! } };
}

test('retires the presented token and issues a new pair in the same family', async () => {
  const { client, user, first, refresh } = await issuedBefore();
  ctx.world.clock.advance(1000);
  const issued = await run(grant(), client, refresh);
  expect(issued).toMatchObject({ expiresIn: LIFETIMES.accessToken, scope: ['read', 'write'], userId: user.id });
  const family = (await accessRow(ctx.store, first.accessToken))!.familyId;
  expect(await refreshRow(ctx.store, first.refreshToken!)).toMatchObject({ rotatedAt: START + 1000, revokedAt: null });
  expect(await refreshRow(ctx.store, issued.refreshToken!)).toMatchObject({ familyId: family, rotatedAt: null, expiresAt: START + 1000 + LIFETIMES.refreshToken * 1000 });
  expect(await accessRow(ctx.store, issued.accessToken)).toMatchObject({ familyId: family, grantType: 'refresh_token', userId: user.id });
});

test('a narrower scope narrows the access token; the refresh token keeps the original grant', async () => {
  const { client, refresh } = await issuedBefore();
  const issued = await run(grant(), client, { ...refresh, scope: 'read' });
  expect(issued.scope).toEqual(['read']);
  expect((await refreshRow(ctx.store, issued.refreshToken!))?.scope).toBe('read write');
});

test('a scope wider than the original grant is invalid_scope, and the token stays usable', async () => {
  const { client, refresh } = await issuedBefore({ scopes: ['read', 'write', 'admin'] });
  expect(await refusedWith(run(grant(), client, { ...refresh, scope: 'read admin' }))).toBe('invalid_scope');
  expect((await run(grant(), client, refresh)).scope).toEqual(['read', 'write']);
});

test('a client not registered for refresh tokens is unauthorized_client', async () => {
  const { client, refresh } = await issuedBefore();
  const withoutRefresh = { ...client, grants: ['password'] };
  expect(await refusedWith(run(grant(), withoutRefresh, refresh))).toBe('unauthorized_client');
  expect(await refusedWith(run(grant(), { ...client, refresh: false }, refresh))).toBe('unauthorized_client');
});

test('a missing refresh_token is invalid_request', async () => {
  const { client } = await issuedBefore();
  expect(await refusedWith(run(grant(), client, { grant_type: 'refresh_token' }))).toBe('invalid_request');
});

test('an unknown token is invalid_grant', async () => {
  const { client } = await issuedBefore();
  expect(await refusedWith(run(grant(), client, { refresh_token: 'not-a-token' }))).toBe('invalid_grant');
});

test("another client's token is invalid_grant and stays usable by its own client", async () => {
  const { client, refresh } = await issuedBefore();
  const other = await addClient(ctx.store, { grants: ['refresh_token'], refresh: true });
  expect(await refusedWith(run(grant(), other, refresh))).toBe('invalid_grant');
  expect((await run(grant(), client, refresh)).refreshToken).toEqual(expect.any(String));
});

test('an expired token is invalid_grant', async () => {
  const { client, refresh } = await issuedBefore();
  ctx.world.clock.advance(LIFETIMES.refreshToken * 1000);
  expect(await refusedWith(run(grant(), client, refresh))).toBe('invalid_grant');
});

test('a revoked token is invalid_grant', async () => {
  const { client, first, refresh } = await issuedBefore();
  await ctx.store.refreshTokens.revokeFamily((await refreshRow(ctx.store, first.refreshToken!))!.familyId, ctx.world.clock());
  expect(await refusedWith(run(grant(), client, refresh))).toBe('invalid_grant');
});

test('a token of a disabled user is invalid_grant', async () => {
  const { client, refresh } = await issuedBefore({}, { enabled: false });
  expect(await refusedWith(run(grant(), client, refresh))).toBe('invalid_grant');
});

test('a retired token presented again is invalid_grant and revokes the whole family, here and on every node', async () => {
  const { client, first, refresh } = await issuedBefore();
  const second = await run(grant(), client, refresh);
  const cached = cacheVerified(ctx.world, second, client.clientId);
  const heard: string[] = [];
  await ctx.world.cache.subscribe(REVOCATION_CHANNEL, (message) => heard.push(message));

  expect(await refusedWith(run(grant(), client, refresh))).toBe('invalid_grant');

  for (const token of [first.accessToken, second.accessToken]) expect((await accessRow(ctx.store, token))?.revokedAt).toBe(START);
  expect((await refreshRow(ctx.store, second.refreshToken!))?.revokedAt).toBe(START);
  expect(await refusedWith(run(grant(), client, { refresh_token: second.refreshToken! }))).toBe('invalid_grant');
  expect(ctx.world.verifiedTokens.oauth2.get(cached)).toBeUndefined();
  await new Promise((resolve) => setImmediate(resolve));
  expect(heard).toEqual(expect.arrayContaining([`token:${cached}`]));
});

test('the replay warning names the client and family, never a token', async () => {
  const { client, first, refresh } = await issuedBefore();
  const second = await run(grant(), client, refresh);
  await refusedWith(run(grant(), client, refresh));
  const family = (await refreshRow(ctx.store, first.refreshToken!))!.familyId;
  expect(ctx.world.log.text).toContain('refresh token reused');
  expect(ctx.world.log.text).toContain(family);
  expect(ctx.world.log.text).toContain(client.clientId);
  for (const token of [first.refreshToken!, first.accessToken, second.refreshToken!, second.accessToken]) expect(ctx.world.log.text).not.toContain(token);
});

test('of concurrent uses of one token exactly one is issued, and the loser revokes the family', async () => {
  const { client, refresh } = await issuedBefore();
  const g = grant();
  const outcomes = await Promise.allSettled([run(g, client, refresh), run(g, client, refresh)]);
  const winners = outcomes.filter((o): o is PromiseFulfilledResult<Awaited<ReturnType<typeof run>>> => o.status === 'fulfilled');
  expect(winners).toHaveLength(1);
  expect((await accessRow(ctx.store, winners[0].value.accessToken))?.revokedAt).toBe(START);
});

test("the endpoint's admission policy sees the token's user, and its refusal leaves the token unrotated", async () => {
  const { client, user, first, refresh } = await issuedBefore();
  const policy = refusingAdmission();
  await expect(run(grant(), client, refresh, { admit: policy.admit })).rejects.toBe(policy.refused);
  expect(policy.seen).toEqual([{ client, user }]);
  expect((await refreshRow(ctx.store, first.refreshToken!))?.rotatedAt).toBeNull();
});

describe('with a grace period', () => {
  test('the same client reusing a token within it gets a sibling pair, and the first pair stays alive', async () => {
    const { client, refresh } = await issuedBefore();
    const second = await run(grant(5), client, refresh);
    ctx.world.clock.advance(4999);
    const sibling = await run(grant(5), client, refresh);
    expect(sibling.refreshToken).not.toBe(second.refreshToken);
    const family = (await refreshRow(ctx.store, second.refreshToken!))!.familyId;
    expect(await refreshRow(ctx.store, sibling.refreshToken!)).toMatchObject({ familyId: family, rotatedAt: null, revokedAt: null });
    for (const issued of [second, sibling]) expect((await accessRow(ctx.store, issued.accessToken))?.revokedAt).toBeNull();
    expect((await run(grant(5), client, { refresh_token: second.refreshToken! })).refreshToken).toEqual(expect.any(String));
  });

  test('reuse after it revokes the family', async () => {
    const { client, refresh } = await issuedBefore();
    const second = await run(grant(5), client, refresh);
    ctx.world.clock.advance(5000);
    expect(await refusedWith(run(grant(5), client, refresh))).toBe('invalid_grant');
    expect((await accessRow(ctx.store, second.accessToken))?.revokedAt).toBe(START + 5000);
    expect((await refreshRow(ctx.store, second.refreshToken!))?.revokedAt).toBe(START + 5000);
  });

  test('concurrent uses of one token both succeed, in the same family', async () => {
    const { client, refresh } = await issuedBefore();
    const g = grant(5);
    const [a, b] = await Promise.all([run(g, client, refresh), run(g, client, refresh)]);
    for (const issued of [a, b]) expect(await accessRow(ctx.store, issued.accessToken)).toMatchObject({ revokedAt: null });
    expect((await refreshRow(ctx.store, a.refreshToken!))!.familyId).toBe((await refreshRow(ctx.store, b.refreshToken!))!.familyId);
  });

  test('another client presenting the rotated token within it is invalid_grant and revokes nothing', async () => {
    const { client, refresh } = await issuedBefore();
    const second = await run(grant(5), client, refresh);
    const other = await addClient(ctx.store, { grants: ['refresh_token'], refresh: true });
    expect(await refusedWith(run(grant(5), other, refresh))).toBe('invalid_grant');
    expect((await accessRow(ctx.store, second.accessToken))?.revokedAt).toBeNull();
  });
});
