import { DEVICE_CODE_GRANT_TYPE, SLOW_DOWN_STEP_SECONDS } from '../../src/oauth2/device/codes';
import { deviceCodeGrant } from '../../src/oauth2/grants';
import type { ClientRow, DeviceCodeRow, UserRow } from '../../src/storage/types';
import { deviceCode } from '../integration/storage.contract-fixtures';
import { LIFETIMES, START, accessRow, addClient, addUser, randomToken, refusal, refusedWith, refusingAdmission, run, tokenDigest, useGrantWorld } from '../helpers/grants';

// RFC 8628 sections 3.4 and 3.5, the device polling, over its narrow interface: the device codes,
// users and token tables of a real SQLite store, the token issuer and a manual clock.

const INTERVAL = 5;
const ctx = useGrantWorld();

const grant = () => deviceCodeGrant({ store: ctx.world.store, issuer: ctx.world.issuer, clock: ctx.world.clock });

/** A client and the device code /oauth2/device_authorization would have stored for it. */
async function started(code: Partial<DeviceCodeRow> = {}, clientOptions: Partial<ClientRow> = {}) {
  const client = await addClient(ctx.store, { grants: ['device_code', 'refresh_token'], refresh: true, secretHash: null, ...clientOptions });
  const value = randomToken();
  const row = deviceCode({ digest: tokenDigest(value), clientId: client.clientId, interval: INTERVAL, expiresAt: START + 600_000, createdAt: START, ...code });
  await ctx.store.deviceCodes.insert(row);
  return { client, row, poll: { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: value } };
}

async function approvedBy(userOptions: Partial<UserRow> = {}, clientOptions: Partial<ClientRow> = {}) {
  const flow = await started({}, clientOptions);
  const user = await addUser(ctx.store, userOptions);
  expect(await ctx.store.deviceCodes.approve(flow.row.digest, user.id, START)).toBe(true);
  return { ...flow, user };
}

describe('while the user has not decided', () => {
  test('a poll is authorization_pending', async () => {
    const { client, poll } = await started();
    expect(await refusedWith(run(grant(), client, poll))).toBe('authorization_pending');
  });

  test('a poll after the interval is authorization_pending again', async () => {
    const { client, poll } = await started();
    await refusedWith(run(grant(), client, poll));
    ctx.world.clock.advance(INTERVAL * 1000);
    expect(await refusedWith(run(grant(), client, poll))).toBe('authorization_pending');
  });

  test('a poll sooner than the interval is slow_down, and the interval grows by five seconds', async () => {
    const { client, row, poll } = await started();
    await refusedWith(run(grant(), client, poll));
    ctx.world.clock.advance(INTERVAL * 1000 - 1);
    const slow = await refusal(run(grant(), client, poll));
    expect([slow.error, slow.status]).toEqual(['slow_down', 400]);
    expect((await ctx.store.deviceCodes.find(row.digest))?.interval).toBe(INTERVAL + SLOW_DOWN_STEP_SECONDS);
  });

  test('after slow_down the old interval is too soon', async () => {
    const { client, poll } = await started();
    await refusedWith(run(grant(), client, poll));
    ctx.world.clock.advance(1000);
    expect(await refusedWith(run(grant(), client, poll))).toBe('slow_down');
    ctx.world.clock.advance(INTERVAL * 1000);
    expect(await refusedWith(run(grant(), client, poll))).toBe('slow_down');
  });

  test('after slow_down the longer interval is enough', async () => {
    const { client, poll } = await started();
    await refusedWith(run(grant(), client, poll));
    ctx.world.clock.advance(1000);
    expect(await refusedWith(run(grant(), client, poll))).toBe('slow_down');
    ctx.world.clock.advance((INTERVAL + SLOW_DOWN_STEP_SECONDS) * 1000);
    expect(await refusedWith(run(grant(), client, poll))).toBe('authorization_pending');
  });
});

test('a denied code is access_denied', async () => {
  const { client, row, poll } = await started();
  expect(await ctx.store.deviceCodes.deny(row.digest, START)).toBe(true);
  expect(await refusedWith(run(grant(), client, poll))).toBe('access_denied');
});

test('an expired code is expired_token', async () => {
  const { client, poll } = await started();
  ctx.world.clock.advance(600_000);
  expect(await refusedWith(run(grant(), client, poll))).toBe('expired_token');
});

test('a missing device_code is invalid_request', async () => {
  const { client } = await started();
  expect(await refusedWith(run(grant(), client, { grant_type: DEVICE_CODE_GRANT_TYPE }))).toBe('invalid_request');
});

test('an unknown code is invalid_grant', async () => {
  const { client } = await started();
  expect(await refusedWith(run(grant(), client, { device_code: randomToken() }))).toBe('invalid_grant');
});

test("another client's code is invalid_grant", async () => {
  const { poll } = await approvedBy();
  const other = await addClient(ctx.store, { grants: ['device_code'], secretHash: null });
  expect(await refusedWith(run(grant(), other, poll))).toBe('invalid_grant');
});

test('an approved code is exchanged once for tokens of the approving user', async () => {
  const { client, user, row, poll } = await approvedBy();
  const issued = await run(grant(), client, poll);
  expect(issued).toMatchObject({ expiresIn: LIFETIMES.accessToken, scope: ['read'], userId: user.id, refreshToken: expect.any(String) });
  expect(await accessRow(ctx.store, issued.accessToken)).toMatchObject({ grantType: DEVICE_CODE_GRANT_TYPE, userId: user.id, clientId: client.clientId });
  expect((await ctx.store.deviceCodes.find(row.digest))?.consumedAt).toBe(START);
  expect(await refusedWith(run(grant(), client, poll))).toBe('invalid_grant');
});

test('a client not registered for refresh tokens gets an access token alone', async () => {
  const { client, poll } = await approvedBy({}, { grants: ['device_code'] });
  expect((await run(grant(), client, poll)).refreshToken).toBeNull();
});

test('a code approved by a user disabled since is invalid_grant', async () => {
  const { client, poll } = await approvedBy({ enabled: false });
  expect(await refusedWith(run(grant(), client, poll))).toBe('invalid_grant');
});

test('of concurrent polls of an approved code exactly one gets the tokens', async () => {
  const { client, poll } = await approvedBy();
  const g = grant();
  const outcomes = await Promise.allSettled([run(g, client, poll), run(g, client, poll), run(g, client, poll)]);
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
});

test("the endpoint's admission policy sees the approving user, and its refusal leaves the code unused", async () => {
  const { client, user, row, poll } = await approvedBy();
  const policy = refusingAdmission();
  await expect(run(grant(), client, poll, { admit: policy.admit })).rejects.toBe(policy.refused);
  expect(policy.seen).toEqual([{ client, user }]);
  expect((await ctx.store.deviceCodes.find(row.digest))?.consumedAt).toBeNull();
});
