import { DuplicateError } from '../../src/storage';
import {
  NOW, accessToken, authorizationCode, digest, id, refreshToken, useStore, winners, type StoreTarget,
} from './storage.contract-fixtures';

export function oauth2Contract(target: StoreTarget): void {
  const ctx = useStore(target);

  describe('authorization codes', () => {
    test('an inserted code is found by digest', async () => {
      const c = authorizationCode({ codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'S256' });
      await ctx.store.authorizationCodes.insert(c);
      expect(await ctx.store.authorizationCodes.find(c.digest)).toEqual(c);
      expect(await ctx.store.authorizationCodes.find(digest())).toBeNull();
    });

    test('a second code with the same digest is a DuplicateError', async () => {
      const c = authorizationCode();
      await ctx.store.authorizationCodes.insert(c);
      await expect(ctx.store.authorizationCodes.insert(authorizationCode({ digest: c.digest }))).rejects.toBeInstanceOf(
        DuplicateError,
      );
    });

    test('of 10 concurrent consumptions exactly one wins', async () => {
      const c = authorizationCode();
      await ctx.store.authorizationCodes.insert(c);
      expect(await winners(10, () => ctx.store.authorizationCodes.consume(c.digest, NOW))).toBe(1);
      expect((await ctx.store.authorizationCodes.find(c.digest))?.consumedAt).toBe(NOW);
    });

    test('an expired code cannot be consumed', async () => {
      const c = authorizationCode({ expiresAt: NOW });
      await ctx.store.authorizationCodes.insert(c);
      expect(await ctx.store.authorizationCodes.consume(c.digest, NOW)).toBe(false);
    });
  });

  describe('access tokens', () => {
    test('an inserted access token is found by digest', async () => {
      const t = accessToken({ userId: null, familyId: id(), codeDigest: digest(), grantType: 'client_credentials' });
      await ctx.store.accessTokens.insert(t);
      expect(await ctx.store.accessTokens.find(t.digest)).toEqual(t);
      expect(await ctx.store.accessTokens.find(digest())).toBeNull();
    });

    test('revoke succeeds once and records the time', async () => {
      const t = accessToken();
      await ctx.store.accessTokens.insert(t);
      expect(await ctx.store.accessTokens.revoke(t.digest, NOW + 3)).toBe(true);
      expect(await ctx.store.accessTokens.revoke(t.digest, NOW + 4)).toBe(false);
      expect((await ctx.store.accessTokens.find(t.digest))?.revokedAt).toBe(NOW + 3);
    });

    test('revokeFamily revokes the unrevoked tokens of the family and returns their digests', async () => {
      const familyId = id();
      const a = accessToken({ familyId });
      const b = accessToken({ familyId });
      const done = accessToken({ familyId, revokedAt: NOW - 1 });
      const other = accessToken({ familyId: id() });
      for (const t of [a, b, done, other]) await ctx.store.accessTokens.insert(t);
      expect((await ctx.store.accessTokens.revokeFamily(familyId, NOW)).sort()).toEqual([a.digest, b.digest].sort());
      expect((await ctx.store.accessTokens.find(b.digest))?.revokedAt).toBe(NOW);
      expect((await ctx.store.accessTokens.find(done.digest))?.revokedAt).toBe(NOW - 1);
      expect((await ctx.store.accessTokens.find(other.digest))?.revokedAt).toBeNull();
      expect(await ctx.store.accessTokens.revokeFamily(familyId, NOW)).toEqual([]);
    });

    test('revokeByCode revokes the tokens issued from that code and returns their digests', async () => {
      const codeDigest = digest();
      const a = accessToken({ codeDigest });
      const other = accessToken({ codeDigest: digest() });
      for (const t of [a, other]) await ctx.store.accessTokens.insert(t);
      expect(await ctx.store.accessTokens.revokeByCode(codeDigest, NOW)).toEqual([a.digest]);
      expect((await ctx.store.accessTokens.find(other.digest))?.revokedAt).toBeNull();
      expect(await ctx.store.accessTokens.revokeByCode(codeDigest, NOW)).toEqual([]);
    });
  });

  describe('refresh tokens', () => {
    test('an inserted refresh token is found by digest', async () => {
      const t = refreshToken({ userId: null });
      await ctx.store.refreshTokens.insert(t);
      expect(await ctx.store.refreshTokens.find(t.digest)).toEqual(t);
      expect(await ctx.store.refreshTokens.find(digest())).toBeNull();
    });

    test('of 10 concurrent rotations exactly one wins', async () => {
      const t = refreshToken();
      await ctx.store.refreshTokens.insert(t);
      expect(await winners(10, () => ctx.store.refreshTokens.rotate(t.digest, NOW))).toBe(1);
      expect((await ctx.store.refreshTokens.find(t.digest))?.rotatedAt).toBe(NOW);
    });

    test('an expired refresh token cannot be rotated', async () => {
      const t = refreshToken({ expiresAt: NOW });
      await ctx.store.refreshTokens.insert(t);
      expect(await ctx.store.refreshTokens.rotate(t.digest, NOW)).toBe(false);
    });

    test('a revoked refresh token cannot be rotated', async () => {
      const t = refreshToken({ revokedAt: NOW - 1 });
      await ctx.store.refreshTokens.insert(t);
      expect(await ctx.store.refreshTokens.rotate(t.digest, NOW)).toBe(false);
    });

    test('revokeFamily revokes every unrevoked token of the family and counts them', async () => {
      const familyId = id();
      const rotated = refreshToken({ familyId, rotatedAt: NOW - 2 });
      const current = refreshToken({ familyId });
      const other = refreshToken();
      for (const t of [rotated, current, other]) await ctx.store.refreshTokens.insert(t);
      expect(await ctx.store.refreshTokens.revokeFamily(familyId, NOW)).toBe(2);
      expect((await ctx.store.refreshTokens.find(current.digest))?.revokedAt).toBe(NOW);
      expect((await ctx.store.refreshTokens.find(other.digest))?.revokedAt).toBeNull();
      expect(await ctx.store.refreshTokens.revokeFamily(familyId, NOW)).toBe(0);
    });
  });
}
