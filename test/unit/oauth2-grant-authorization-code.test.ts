import { UNNAMED_REDIRECT_URI } from '../../src/oauth2/authorization-codes';
import { authorizationCodeGrant, refreshTokenGrant } from '../../src/oauth2/grants';
import { s256Challenge } from '../../src/oauth2/pkce';
import type { AuthorizationCodeRow, ClientRow, UserRow } from '../../src/storage/types';
import { authorizationCode } from '../integration/storage.contract-fixtures';
import {
  LIFETIMES,
  START,
  accessRow,
  addClient,
  addUser,
  cacheVerified,
  randomToken,
  refreshRow,
  refusedWith,
  refusingAdmission,
  run,
  tokenDigest,
  useGrantWorld,
} from '../helpers/grants';

// RFC 6749 section 4.1.3 (and RFC 7636) over its narrow interface: the codes, users and token
// tables of a real SQLite store, the token issuer, the revocation channel and a manual clock.

const REDIRECT = 'https://app.example/cb';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const ctx = useGrantWorld();

function grant() {
  const { store, issuer, clock, revocations, log } = ctx.world;
  return authorizationCodeGrant({ store, issuer, clock, revocations, logger: log.logger });
}

/** A client, a user and a code the authorize endpoint would have stored for them. */
async function codeIssued(code: Partial<AuthorizationCodeRow> = {}, clientOptions: Partial<ClientRow> = {}, userOptions: Partial<UserRow> = {}) {
  const client = await addClient(ctx.store, { grants: ['authorization_code', 'refresh_token'], refresh: true, redirectUris: [REDIRECT], ...clientOptions });
  const user = await addUser(ctx.store, userOptions);
  const value = randomToken();
  const row = authorizationCode({
    digest: tokenDigest(value),
    clientId: client.clientId,
    userId: user.id,
    redirectUri: REDIRECT,
    scope: 'read write',
    expiresAt: START + 600_000,
    createdAt: START,
    ...code,
  });
  await ctx.store.authorizationCodes.insert(row);
  return { client, user, row, redeem: { grant_type: 'authorization_code', code: value, redirect_uri: REDIRECT } as Record<string, string> };
}

function without(values: Record<string, string>, name: string): Record<string, string> {
  const copy = { ...values };
  delete copy[name];
  return copy;
}

test('redeems the code once for tokens whose refresh family is named by the code', async () => {
  const { client, user, row, redeem } = await codeIssued();
  const issued = await run(grant(), client, redeem);
  expect(issued).toMatchObject({ expiresIn: LIFETIMES.accessToken, scope: ['read', 'write'], userId: user.id });
  expect(await accessRow(ctx.store, issued.accessToken)).toMatchObject({ grantType: 'authorization_code', codeDigest: row.digest, familyId: row.digest });
  expect(await refreshRow(ctx.store, issued.refreshToken!)).toMatchObject({ familyId: row.digest, scope: 'read write' });
  expect((await ctx.store.authorizationCodes.find(row.digest))?.consumedAt).toBe(START);
});

test('a client not registered for refresh tokens gets an access token alone', async () => {
  const { client, redeem } = await codeIssued({}, { grants: ['authorization_code'] });
  const issued = await run(grant(), client, redeem);
  expect(issued.refreshToken).toBeNull();
  expect((await accessRow(ctx.store, issued.accessToken))?.familyId).toBeNull();
});

test('a missing code is invalid_request', async () => {
  const { client, redeem } = await codeIssued();
  expect(await refusedWith(run(grant(), client, without(redeem, 'code')))).toBe('invalid_request');
});

test('an unknown code is invalid_grant', async () => {
  const { client, redeem } = await codeIssued();
  expect(await refusedWith(run(grant(), client, { ...redeem, code: randomToken() }))).toBe('invalid_grant');
});

test("another client's code is invalid_grant and is not used up", async () => {
  const { client, redeem } = await codeIssued();
  const other = await addClient(ctx.store, { grants: ['authorization_code'], redirectUris: [REDIRECT] });
  expect(await refusedWith(run(grant(), other, redeem))).toBe('invalid_grant');
  expect((await run(grant(), client, redeem)).accessToken).toEqual(expect.any(String));
});

test('an expired code is invalid_grant', async () => {
  const { client, redeem } = await codeIssued();
  ctx.world.clock.advance(600_000);
  expect(await refusedWith(run(grant(), client, redeem))).toBe('invalid_grant');
});

test('a code of a disabled user is invalid_grant', async () => {
  const { client, redeem } = await codeIssued({}, {}, { enabled: false });
  expect(await refusedWith(run(grant(), client, redeem))).toBe('invalid_grant');
});

describe('redirect_uri (section 4.1.3)', () => {
  test('a named redirect URI must be repeated exactly', async () => {
    const { client, redeem } = await codeIssued();
    expect(await refusedWith(run(grant(), client, { ...redeem, redirect_uri: `${REDIRECT}/other` }))).toBe('invalid_grant');
    expect(await refusedWith(run(grant(), client, without(redeem, 'redirect_uri')))).toBe('invalid_grant');
    expect((await run(grant(), client, redeem)).accessToken).toEqual(expect.any(String));
  });

  test('when the request named none, none need be sent', async () => {
    const { client, redeem } = await codeIssued({ redirectUri: UNNAMED_REDIRECT_URI });
    expect((await run(grant(), client, without(redeem, 'redirect_uri'))).accessToken).toEqual(expect.any(String));
  });

  test('when the request named none, the single registered URI may be sent', async () => {
    const { client, redeem } = await codeIssued({ redirectUri: UNNAMED_REDIRECT_URI });
    expect((await run(grant(), client, redeem)).accessToken).toEqual(expect.any(String));
  });

  test('when the request named none and the client has several URIs, sending one is invalid_grant', async () => {
    const { client, redeem } = await codeIssued({ redirectUri: UNNAMED_REDIRECT_URI }, { redirectUris: [REDIRECT, `${REDIRECT}2`] });
    expect(await refusedWith(run(grant(), client, redeem))).toBe('invalid_grant');
  });

  test('when the request named none, another URI is invalid_grant', async () => {
    const { client, redeem } = await codeIssued({ redirectUri: UNNAMED_REDIRECT_URI });
    expect(await refusedWith(run(grant(), client, { ...redeem, redirect_uri: 'https://app.example/elsewhere' }))).toBe('invalid_grant');
  });
});

describe('PKCE (RFC 7636 section 4.6)', () => {
  const s256 = { codeChallenge: s256Challenge(VERIFIER), codeChallengeMethod: 'S256' };

  test('the S256 verifier of the challenge redeems the code', async () => {
    const { client, redeem } = await codeIssued(s256);
    expect((await run(grant(), client, { ...redeem, code_verifier: VERIFIER })).accessToken).toEqual(expect.any(String));
  });

  test('a plain challenge is answered by the verifier itself', async () => {
    const { client, redeem } = await codeIssued({ codeChallenge: VERIFIER, codeChallengeMethod: 'plain' });
    expect((await run(grant(), client, { ...redeem, code_verifier: VERIFIER })).accessToken).toEqual(expect.any(String));
  });

  test('a wrong verifier is invalid_grant and leaves the code usable', async () => {
    const { client, redeem } = await codeIssued(s256);
    expect(await refusedWith(run(grant(), client, { ...redeem, code_verifier: VERIFIER.replace(/.$/, 'A') }))).toBe('invalid_grant');
    expect((await run(grant(), client, { ...redeem, code_verifier: VERIFIER })).accessToken).toEqual(expect.any(String));
  });

  test('a missing verifier is invalid_grant', async () => {
    const { client, redeem } = await codeIssued(s256);
    expect(await refusedWith(run(grant(), client, redeem))).toBe('invalid_grant');
  });

  test('a malformed verifier is invalid_grant', async () => {
    const { client, redeem } = await codeIssued({ codeChallenge: 'short', codeChallengeMethod: 'plain' });
    expect(await refusedWith(run(grant(), client, { ...redeem, code_verifier: 'short' }))).toBe('invalid_grant');
  });

  test('a verifier for a code issued without a challenge is invalid_grant (a downgrade)', async () => {
    const { client, redeem } = await codeIssued();
    expect(await refusedWith(run(grant(), client, { ...redeem, code_verifier: VERIFIER }))).toBe('invalid_grant');
  });
});

test('a second use is invalid_grant and revokes every token issued from the code, refreshed ones included', async () => {
  const { client, redeem } = await codeIssued();
  const { store, issuer, clock, revocations, log } = ctx.world;
  const first = await run(grant(), client, redeem);
  const refreshed = await run(refreshTokenGrant({ store, issuer, clock, revocations, logger: log.logger }), client, {
    refresh_token: first.refreshToken!,
  });
  const cached = cacheVerified(ctx.world, refreshed, client.clientId);

  expect(await refusedWith(run(grant(), client, redeem))).toBe('invalid_grant');

  for (const token of [first.accessToken, refreshed.accessToken]) expect((await accessRow(ctx.store, token))?.revokedAt).toBe(START);
  expect((await refreshRow(ctx.store, refreshed.refreshToken!))?.revokedAt).toBe(START);
  expect(ctx.world.verifiedTokens.oauth2.get(cached)).toBeUndefined();
  expect(log.text).toContain('authorization code reused');
  expect(log.text).not.toContain(redeem.code);
});

test('a second use by another client revokes nothing', async () => {
  const { client, redeem } = await codeIssued();
  const first = await run(grant(), client, redeem);
  const other = await addClient(ctx.store, { grants: ['authorization_code'], redirectUris: [REDIRECT] });
  expect(await refusedWith(run(grant(), other, redeem))).toBe('invalid_grant');
  expect((await accessRow(ctx.store, first.accessToken))?.revokedAt).toBeNull();
});

test("the endpoint's admission policy sees the code's user, and its refusal leaves the code unused", async () => {
  const { client, user, row, redeem } = await codeIssued();
  const policy = refusingAdmission();
  await expect(run(grant(), client, redeem, { admit: policy.admit })).rejects.toBe(policy.refused);
  expect(policy.seen).toEqual([{ client, user }]);
  expect((await ctx.store.authorizationCodes.find(row.digest))?.consumedAt).toBeNull();
});
