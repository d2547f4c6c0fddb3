import { clientCredentialsGrant } from '../../src/oauth2/grants';
import { LIFETIMES, START, accessRow, addClient, refusedWith, refusingAdmission, run, useGrantWorld } from '../helpers/grants';

// RFC 6749 section 4.4 over its narrow interface: the token issuer (over a real SQLite store) and a clock.

const ctx = useGrantWorld();
const grant = () => clientCredentialsGrant({ issuer: ctx.world.issuer, clock: ctx.world.clock });

test('issues an access token for the client itself, without a refresh token', async () => {
  const client = await addClient(ctx.store, { grants: ['client_credentials', 'refresh_token'], refresh: true });
  const issued = await run(grant(), client, { scope: 'read' });
  expect(issued).toMatchObject({ expiresIn: LIFETIMES.accessToken, refreshToken: null, scope: ['read'], userId: null });
  expect(await accessRow(ctx.store, issued.accessToken)).toMatchObject({
    clientId: client.clientId,
    userId: null,
    scope: 'read',
    grantType: 'client_credentials',
    familyId: null,
    expiresAt: START + LIFETIMES.accessToken * 1000,
  });
});

test('grants every registered scope when none is asked for', async () => {
  const client = await addClient(ctx.store, { grants: ['client_credentials'], scopes: ['read', 'write'] });
  expect((await run(grant(), client, {})).scope).toEqual(['read', 'write']);
});

test("the client's own access token lifetime wins over the default", async () => {
  const client = await addClient(ctx.store, { grants: ['client_credentials'], accessTtl: 60 });
  const issued = await run(grant(), client, {});
  expect(issued.expiresIn).toBe(60);
  expect((await accessRow(ctx.store, issued.accessToken))?.expiresAt).toBe(START + 60_000);
});

test('a public client is unauthorized_client', async () => {
  const client = await addClient(ctx.store, { grants: ['client_credentials'], secretHash: null });
  expect(await refusedWith(run(grant(), client, {}))).toBe('unauthorized_client');
});

test('a scope beyond the registered ones is invalid_scope', async () => {
  const client = await addClient(ctx.store, { grants: ['client_credentials'], scopes: ['read'] });
  expect(await refusedWith(run(grant(), client, { scope: 'read admin' }))).toBe('invalid_scope');
});

test("the endpoint's admission policy sees the client and no user, and its refusal is the answer", async () => {
  const client = await addClient(ctx.store, { grants: ['client_credentials'] });
  const policy = refusingAdmission();
  await expect(run(grant(), client, {}, { admit: policy.admit })).rejects.toBe(policy.refused);
  expect(policy.seen).toEqual([{ client, user: null }]);
});
