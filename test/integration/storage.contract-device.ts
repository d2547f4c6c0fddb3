import { DuplicateError } from '../../src/storage';
import { NOW, deviceCode, digest, useStore, winners, type StoreTarget } from './storage.contract-fixtures';

export function deviceContract(target: StoreTarget): void {
  const ctx = useStore(target);

  test('an inserted device code is found by digest and by user code', async () => {
    const c = deviceCode();
    await ctx.store.deviceCodes.insert(c);
    expect(await ctx.store.deviceCodes.find(c.digest)).toEqual(c);
    expect(await ctx.store.deviceCodes.findByUserCode(c.userCode)).toEqual(c);
    expect(await ctx.store.deviceCodes.findByUserCode('NOSUCHCD')).toBeNull();
  });

  test('a second code with the same user code is a DuplicateError', async () => {
    const c = deviceCode();
    await ctx.store.deviceCodes.insert(c);
    await expect(ctx.store.deviceCodes.insert(deviceCode({ userCode: c.userCode }))).rejects.toBeInstanceOf(DuplicateError);
  });

  test('of 10 concurrent approvals exactly one wins, and its user is the one stored', async () => {
    const c = deviceCode();
    await ctx.store.deviceCodes.insert(c);
    const won: string[] = [];
    const count = await winners(10, async (i) => {
      const ok = await ctx.store.deviceCodes.approve(c.digest, `user${i}`, NOW);
      if (ok) won.push(`user${i}`);
      return ok;
    });
    expect(count).toBe(1);
    expect(await ctx.store.deviceCodes.find(c.digest)).toMatchObject({ status: 'approved', userId: won[0] });
  });

  test('an expired device code cannot be approved', async () => {
    const c = deviceCode({ expiresAt: NOW });
    await ctx.store.deviceCodes.insert(c);
    expect(await ctx.store.deviceCodes.approve(c.digest, 'u1', NOW)).toBe(false);
  });

  test('a denied device code cannot be approved, and an approved one cannot be denied', async () => {
    const denied = deviceCode();
    const approved = deviceCode();
    await ctx.store.deviceCodes.insert(denied);
    await ctx.store.deviceCodes.insert(approved);
    expect(await ctx.store.deviceCodes.deny(denied.digest, NOW)).toBe(true);
    expect((await ctx.store.deviceCodes.find(denied.digest))?.status).toBe('denied');
    expect(await ctx.store.deviceCodes.approve(denied.digest, 'u1', NOW)).toBe(false);
    expect(await ctx.store.deviceCodes.approve(approved.digest, 'u1', NOW)).toBe(true);
    expect(await ctx.store.deviceCodes.deny(approved.digest, NOW)).toBe(false);
  });

  test('recordPoll returns null on the first poll, then the previous poll time', async () => {
    const c = deviceCode();
    await ctx.store.deviceCodes.insert(c);
    expect(await ctx.store.deviceCodes.recordPoll(c.digest, NOW)).toBeNull();
    expect(await ctx.store.deviceCodes.recordPoll(c.digest, NOW + 5000)).toBe(NOW);
    expect((await ctx.store.deviceCodes.find(c.digest))?.lastPolledAt).toBe(NOW + 5000);
  });

  test('of 10 concurrent first polls exactly one sees no previous poll', async () => {
    const c = deviceCode();
    await ctx.store.deviceCodes.insert(c);
    const previous = await Promise.all(Array.from({ length: 10 }, () => ctx.store.deviceCodes.recordPoll(c.digest, NOW)));
    expect(previous.filter((p) => p === null)).toHaveLength(1);
  });

  test('recordPoll on an unknown code returns null', async () => {
    expect(await ctx.store.deviceCodes.recordPoll(digest(), NOW)).toBeNull();
  });

  test('setInterval stores the new polling interval', async () => {
    const c = deviceCode({ interval: 5 });
    await ctx.store.deviceCodes.insert(c);
    await ctx.store.deviceCodes.setInterval(c.digest, 10);
    expect((await ctx.store.deviceCodes.find(c.digest))?.interval).toBe(10);
  });

  test('a pending device code cannot be consumed', async () => {
    const c = deviceCode();
    await ctx.store.deviceCodes.insert(c);
    expect(await ctx.store.deviceCodes.consume(c.digest, NOW)).toBe(false);
  });

  test('of 10 concurrent consumptions of an approved code exactly one wins', async () => {
    const c = deviceCode();
    await ctx.store.deviceCodes.insert(c);
    await ctx.store.deviceCodes.approve(c.digest, 'u1', NOW);
    expect(await winners(10, () => ctx.store.deviceCodes.consume(c.digest, NOW + 1))).toBe(1);
    expect((await ctx.store.deviceCodes.find(c.digest))?.consumedAt).toBe(NOW + 1);
  });

  test('an approved code past its expiry cannot be consumed', async () => {
    const c = deviceCode({ expiresAt: NOW + 1000 });
    await ctx.store.deviceCodes.insert(c);
    await ctx.store.deviceCodes.approve(c.digest, 'u1', NOW);
    expect(await ctx.store.deviceCodes.consume(c.digest, NOW + 1000)).toBe(false);
  });
}
