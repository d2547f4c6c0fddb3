import { tokenIssuer, type TokenStore, type TokenWrites } from '../../src/oauth2/issue';
import { configuredLifetimes } from '../../src/oauth2/lifetimes';
import type { Store } from '../../src/storage/types';
import { LIFETIMES, START, accessRow, addClient, refreshRow, useGrantStore } from '../helpers/grants';

// The token issuer the grants are given, over a real SQLite store, and the lifetime policy it applies.

const ctx = useGrantStore();

/** The store as the issuer sees it, noting each write it asks for (and doing it). */
function observed(store: Store): { calls: string[]; store: TokenWrites } {
  const calls: string[] = [];
  return {
    calls,
    store: {
      accessTokens: { insert: (row) => (calls.push('accessTokens.insert'), store.accessTokens.insert(row)) },
      refreshTokens: { insert: (row) => (calls.push('refreshTokens.insert'), store.refreshTokens.insert(row)) },
    },
  };
}

const issuer = (store: TokenStore) => tokenIssuer(store, configuredLifetimes(LIFETIMES));

test('an access token alone is one INSERT, outside any transaction', async () => {
  const client = await addClient(ctx.store, { grants: ['client_credentials'] });
  const { calls, store } = observed(ctx.store);
  const issued = await issuer(store).issue({ client, userId: null, scope: ['read'], grantType: 'client_credentials', refresh: false }, START);
  expect(calls).toEqual(['accessTokens.insert']);
  expect(await accessRow(ctx.store, issued.accessToken)).toMatchObject({ clientId: client.clientId, familyId: null });
});

test('with a refresh token both are plain INSERTs (they join one group-commit batch), in a new family', async () => {
  const client = await addClient(ctx.store);
  const { calls, store } = observed(ctx.store);
  const before = ctx.store.commitStats();
  const issued = await issuer(store).issue({ client, userId: null, scope: ['read'], grantType: 'password', refresh: true }, START);
  expect(calls).toEqual(['accessTokens.insert', 'refreshTokens.insert']);
  // Issued at once, the two rows went into the same commit.
  expect(ctx.store.commitStats().commits - before.commits).toBe(1);
  const family = (await accessRow(ctx.store, issued.accessToken))?.familyId;
  expect(family).toEqual(expect.any(String));
  expect((await refreshRow(ctx.store, issued.refreshToken!))?.familyId).toBe(family);
});

test("tokens issued in a grant's transaction are gone when that transaction fails", async () => {
  const client = await addClient(ctx.store);
  let value: string | null = null;
  const failed = ctx.store.transaction(async (tx) => {
    value = (await issuer(ctx.store).issueIn(tx, { client, userId: null, scope: [], grantType: 'password', refresh: true }, START)).accessToken;
    throw new Error('the grant refused after issuing');
  });
  await expect(failed).rejects.toThrow('the grant refused after issuing');
  expect(await accessRow(ctx.store, value!)).toBeNull();
});

test("lifetimes are the client's own when it has them, else the configured ones", async () => {
  const own = await addClient(ctx.store, { accessTtl: 60, refreshTtl: 600 });
  const configured = await addClient(ctx.store);
  const input = { userId: null, scope: [], grantType: 'password', refresh: true };
  const a = await issuer(ctx.store).issue({ ...input, client: own }, START);
  const b = await issuer(ctx.store).issue({ ...input, client: configured }, START);
  expect([a.expiresIn, (await refreshRow(ctx.store, a.refreshToken!))?.expiresAt]).toEqual([60, START + 600_000]);
  expect([b.expiresIn, (await refreshRow(ctx.store, b.refreshToken!))?.expiresAt]).toEqual([LIFETIMES.accessToken, START + LIFETIMES.refreshToken * 1000]);
});

test('a continued family and a narrower access scope are kept apart from the refresh scope', async () => {
  const client = await addClient(ctx.store);
  const issued = await issuer(ctx.store).issue(
    { client, userId: null, scope: ['read'], grantType: 'refresh_token', refresh: true, familyId: 'family-1', refreshScope: ['read', 'write'] },
    START,
  );
  expect(await accessRow(ctx.store, issued.accessToken)).toMatchObject({ familyId: 'family-1', scope: 'read' });
  expect(await refreshRow(ctx.store, issued.refreshToken!)).toMatchObject({ familyId: 'family-1', scope: 'read write' });
});
