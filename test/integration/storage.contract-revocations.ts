import { setTimeout as delay } from 'node:timers/promises';
import {
  HOUR, NOW, accessToken, authorizationCode, deviceCode, digest, id, oauth1AccessToken, refreshToken, requestToken, session, useStore, user,
  type StoreTarget,
} from './storage.contract-fixtures';

/** Taking back what an account was given, and the revocation log that tells the running nodes. */
export function revocationsContract(target: StoreTarget): void {
  describe('the revocation log', () => {
    const ctx = useStore(target);
    const entry = (subject: string, at = NOW) => ({ kind: 'user', subject, reason: 'disabled', at });

    test('appends get increasing sequence numbers, read back in order after a position', async () => {
      const start = await ctx.store.revocationLog.last();
      const first = await ctx.store.revocationLog.append(entry('u-1'));
      const second = await ctx.store.transaction((tx) => tx.revocationLog.append(entry('u-2')));
      expect(first).toBeGreaterThan(start);
      expect(second).toBeGreaterThan(first);
      expect(await ctx.store.revocationLog.last()).toBe(second);
      const read = await ctx.store.revocationLog.after(start, 10);
      expect(read).toEqual([
        { seq: first, kind: 'user', subject: 'u-1', reason: 'disabled', at: NOW },
        { seq: second, kind: 'user', subject: 'u-2', reason: 'disabled', at: NOW },
      ]);
      expect(await ctx.store.revocationLog.after(first, 10)).toEqual([read[1]]);
      expect(await ctx.store.revocationLog.after(second, 10)).toEqual([]);
    });

    test('after() reads at most `limit` entries', async () => {
      const start = await ctx.store.revocationLog.last();
      for (let i = 0; i < 5; i++) await ctx.store.revocationLog.append(entry(`l-${i}`));
      expect((await ctx.store.revocationLog.after(start, 3)).map((e) => e.subject)).toEqual(['l-0', 'l-1', 'l-2']);
    });

    test('an entry appended in a transaction that rolls back is never seen', async () => {
      const start = await ctx.store.revocationLog.last();
      await expect(
        ctx.store.transaction(async (tx) => {
          await tx.revocationLog.append(entry('rolled-back'));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await ctx.store.revocationLog.after(start, 10)).toEqual([]);
    });

    test('concurrent appends in transactions become visible in sequence order: a reader never skips one', async () => {
      const start = await ctx.store.revocationLog.last();
      const seen: number[] = [];
      let position = start;
      let done = false;
      const reader = (async () => {
        while (!done) {
          for (const e of await ctx.store.revocationLog.after(position, 100)) {
            seen.push(e.seq);
            position = e.seq;
          }
        }
      })();
      const written = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          ctx.store.transaction(async (tx) => {
            await tx.users.findById(id()); // some work before the append, as a revocation does
            const seq = await tx.revocationLog.append(entry(`c-${i}`));
            // ... and a moment before the commit, so commits could overtake each other.
            await delay((i * 7) % 15);
            return seq;
          }),
        ),
      );
      done = true;
      await reader;
      for (const e of await ctx.store.revocationLog.after(position, 100)) seen.push(e.seq);
      expect(seen).toEqual([...written].sort((x, y) => x - y));
    });

    test('entries older than a day are swept', async () => {
      const start = await ctx.store.revocationLog.last();
      await ctx.store.revocationLog.append(entry('old', NOW - 25 * HOUR));
      const kept = await ctx.store.revocationLog.append(entry('recent', NOW - HOUR));
      await ctx.store.sweepExpired(NOW);
      expect((await ctx.store.revocationLog.after(start, 10)).map((e) => e.seq)).toEqual([kept]);
    });
  });

  describe('taking back grants', () => {
    const ctx = useStore(target);

    test("revokeUser ends the user's tokens, sessions, unused codes, approvals and consents, and nobody else's", async () => {
      const u = user();
      await ctx.store.users.create(u);
      const other = 'someone-else';
      const rows = {
        access: accessToken({ userId: u.id }),
        refresh: refreshToken({ userId: u.id }),
        session: session({ userId: u.id }),
        oauth1: oauth1AccessToken({ userId: u.id }),
        code: authorizationCode({ userId: u.id }),
        usedCode: authorizationCode({ userId: u.id, consumedAt: NOW }),
        device: deviceCode({ userId: u.id, status: 'approved' }),
        request: requestToken({ userId: u.id, authorizedAt: NOW, verifierDigest: digest() }),
        othersAccess: accessToken({ userId: other }),
        othersCode: authorizationCode({ userId: other }),
      };
      await ctx.store.transaction(async (tx) => {
        await tx.accessTokens.insert(rows.access);
        await tx.refreshTokens.insert(rows.refresh);
        await tx.oauth1Sessions.insert(rows.session);
        await tx.oauth1AccessTokens.insert(rows.oauth1);
        await tx.authorizationCodes.insert(rows.code);
        await tx.authorizationCodes.insert(rows.usedCode);
        await tx.deviceCodes.insert(rows.device);
        await tx.requestTokens.insert(rows.request);
        await tx.accessTokens.insert(rows.othersAccess);
        await tx.authorizationCodes.insert(rows.othersCode);
        await tx.consents.grant(u.id, 'c1', ['read'], NOW);
        await tx.consents.grant(other, 'c1', ['read'], NOW);
      });

      const changed = await ctx.store.transaction((tx) => tx.grants.revokeUser(u.id, NOW + 1));
      expect(changed).toBe(9);
      expect((await ctx.store.accessTokens.find(rows.access.digest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.refreshTokens.find(rows.refresh.digest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.oauth1Sessions.find(rows.session.handleDigest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.oauth1AccessTokens.find(rows.oauth1.digest))?.revokedAt).toBe(NOW + 1);
      expect(await ctx.store.authorizationCodes.find(rows.code.digest)).toBeNull();
      expect(await ctx.store.authorizationCodes.find(rows.usedCode.digest)).not.toBeNull();
      expect((await ctx.store.deviceCodes.find(rows.device.digest))?.status).toBe('denied');
      expect((await ctx.store.requestTokens.find(rows.request.digest))?.deniedAt).toBe(NOW + 1);
      expect(await ctx.store.consents.find(u.id, 'c1')).toBeNull();
      expect((await ctx.store.users.findById(u.id))?.credentialVersion).toBe(1);

      expect((await ctx.store.accessTokens.find(rows.othersAccess.digest))?.revokedAt).toBeNull();
      expect(await ctx.store.authorizationCodes.find(rows.othersCode.digest)).not.toBeNull();
      expect(await ctx.store.consents.find(other, 'c1')).not.toBeNull();

      // A second time only the credential version moves.
      expect(await ctx.store.grants.revokeUser(u.id, NOW + 2)).toBe(1);
      expect((await ctx.store.users.findById(u.id))?.credentialVersion).toBe(2);
    });

    test("revokeClient ends the client's tokens, unused codes, device codes and the consents given to it", async () => {
      const clientId = `client-${id()}`.slice(0, 40);
      const access = accessToken({ clientId, userId: null });
      const refresh = refreshToken({ clientId });
      const code = authorizationCode({ clientId });
      const device = deviceCode({ clientId });
      const othersAccess = accessToken({ clientId: 'another-client' });
      await ctx.store.transaction(async (tx) => {
        await tx.accessTokens.insert(access);
        await tx.refreshTokens.insert(refresh);
        await tx.authorizationCodes.insert(code);
        await tx.deviceCodes.insert(device);
        await tx.accessTokens.insert(othersAccess);
        await tx.consents.grant('u-1', clientId, ['read'], NOW);
      });
      expect(await ctx.store.grants.revokeClient(clientId, NOW + 1)).toBe(5);
      expect((await ctx.store.accessTokens.find(access.digest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.refreshTokens.find(refresh.digest))?.revokedAt).toBe(NOW + 1);
      expect(await ctx.store.authorizationCodes.find(code.digest)).toBeNull();
      expect((await ctx.store.deviceCodes.find(device.digest))?.status).toBe('denied');
      expect(await ctx.store.consents.find('u-1', clientId)).toBeNull();
      expect((await ctx.store.accessTokens.find(othersAccess.digest))?.revokedAt).toBeNull();
    });

    test("revokeConsumer ends the consumer's sessions, tokens and open request tokens", async () => {
      const consumerKey = `ck-${id()}`.slice(0, 40);
      const s = session({ consumerKey });
      const t = oauth1AccessToken({ consumerKey, sessionDigest: s.handleDigest });
      const r = requestToken({ consumerKey });
      const others = oauth1AccessToken({ consumerKey: 'another-consumer' });
      await ctx.store.transaction(async (tx) => {
        await tx.oauth1Sessions.insert(s);
        await tx.oauth1AccessTokens.insert(t);
        await tx.requestTokens.insert(r);
        await tx.oauth1AccessTokens.insert(others);
      });
      expect(await ctx.store.grants.revokeConsumer(consumerKey, NOW + 1)).toBe(3);
      expect((await ctx.store.oauth1Sessions.find(s.handleDigest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.oauth1AccessTokens.find(t.digest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.requestTokens.find(r.digest))?.deniedAt).toBe(NOW + 1);
      expect((await ctx.store.oauth1AccessTokens.find(others.digest))?.revokedAt).toBeNull();
    });
  });
}
