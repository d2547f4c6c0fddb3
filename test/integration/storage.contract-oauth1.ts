import { DuplicateError } from '../../src/storage';
import {
  HOUR, NOW, digest, oauth1AccessToken, requestToken, session, useStore, winners, type StoreTarget,
} from './storage.contract-fixtures';

export function oauth1Contract(target: StoreTarget): void {
  const ctx = useStore(target);

  describe('request tokens', () => {
    test('an inserted request token is found by digest', async () => {
      const t = requestToken({ callback: 'https://c.example/cb' });
      await ctx.store.requestTokens.insert(t);
      expect(await ctx.store.requestTokens.find(t.digest)).toEqual(t);
      expect(await ctx.store.requestTokens.find(digest())).toBeNull();
    });

    test('a second token with the same digest is a DuplicateError', async () => {
      const t = requestToken();
      await ctx.store.requestTokens.insert(t);
      await expect(ctx.store.requestTokens.insert(requestToken({ digest: t.digest }))).rejects.toBeInstanceOf(DuplicateError);
    });

    test('authorize records the user, the verifier digest and the time', async () => {
      const t = requestToken();
      await ctx.store.requestTokens.insert(t);
      expect(await ctx.store.requestTokens.authorize(t.digest, 'u7', 'v'.repeat(64), NOW + 1)).toBe(true);
      expect(await ctx.store.requestTokens.find(t.digest)).toMatchObject({
        userId: 'u7', verifierDigest: 'v'.repeat(64), authorizedAt: NOW + 1,
      });
    });

    test('of 10 concurrent authorizations exactly one wins, and its user is the one stored', async () => {
      const t = requestToken();
      await ctx.store.requestTokens.insert(t);
      const won: string[] = [];
      const count = await winners(10, async (i) => {
        const ok = await ctx.store.requestTokens.authorize(t.digest, `user${i}`, digest(), NOW);
        if (ok) won.push(`user${i}`);
        return ok;
      });
      expect(count).toBe(1);
      expect((await ctx.store.requestTokens.find(t.digest))?.userId).toBe(won[0]);
    });

    test('an expired request token cannot be authorized', async () => {
      const t = requestToken({ expiresAt: NOW });
      await ctx.store.requestTokens.insert(t);
      expect(await ctx.store.requestTokens.authorize(t.digest, 'u1', digest(), NOW)).toBe(false);
    });

    test('a denied request token cannot be authorized, and an authorized one cannot be denied', async () => {
      const denied = requestToken();
      const authorized = requestToken();
      await ctx.store.requestTokens.insert(denied);
      await ctx.store.requestTokens.insert(authorized);
      expect(await ctx.store.requestTokens.deny(denied.digest, NOW)).toBe(true);
      expect((await ctx.store.requestTokens.find(denied.digest))?.deniedAt).toBe(NOW);
      expect(await ctx.store.requestTokens.authorize(denied.digest, 'u1', digest(), NOW)).toBe(false);
      expect(await ctx.store.requestTokens.authorize(authorized.digest, 'u1', digest(), NOW)).toBe(true);
      expect(await ctx.store.requestTokens.deny(authorized.digest, NOW)).toBe(false);
    });

    test('consume refuses a token that was never authorized', async () => {
      const t = requestToken();
      await ctx.store.requestTokens.insert(t);
      expect(await ctx.store.requestTokens.consume(t.digest, NOW)).toBe(false);
    });

    test('of 10 concurrent consumptions of an authorized token exactly one wins', async () => {
      const t = requestToken();
      await ctx.store.requestTokens.insert(t);
      await ctx.store.requestTokens.authorize(t.digest, 'u1', digest(), NOW);
      expect(await winners(10, () => ctx.store.requestTokens.consume(t.digest, NOW + 1))).toBe(1);
      expect((await ctx.store.requestTokens.find(t.digest))?.usedAt).toBe(NOW + 1);
    });

    test('an authorized token past its expiry cannot be consumed', async () => {
      const t = requestToken({ expiresAt: NOW + 1000 });
      await ctx.store.requestTokens.insert(t);
      await ctx.store.requestTokens.authorize(t.digest, 'u1', digest(), NOW);
      expect(await ctx.store.requestTokens.consume(t.digest, NOW + 1000)).toBe(false);
    });
  });

  describe('sessions', () => {
    test('an inserted session is found by handle digest', async () => {
      const s = session();
      await ctx.store.oauth1Sessions.insert(s);
      expect(await ctx.store.oauth1Sessions.find(s.handleDigest)).toEqual(s);
      expect(await ctx.store.oauth1Sessions.find(digest())).toBeNull();
    });

    test('revoke succeeds once and records the time', async () => {
      const s = session();
      await ctx.store.oauth1Sessions.insert(s);
      expect(await ctx.store.oauth1Sessions.revoke(s.handleDigest, NOW + 5)).toBe(true);
      expect(await ctx.store.oauth1Sessions.revoke(s.handleDigest, NOW + 6)).toBe(false);
      expect((await ctx.store.oauth1Sessions.find(s.handleDigest))?.revokedAt).toBe(NOW + 5);
    });
  });

  describe('access tokens', () => {
    test('an inserted access token is found by digest', async () => {
      const t = oauth1AccessToken();
      await ctx.store.oauth1AccessTokens.insert(t);
      expect(await ctx.store.oauth1AccessTokens.find(t.digest)).toEqual(t);
      expect(await ctx.store.oauth1AccessTokens.find(digest())).toBeNull();
    });

    test('of 10 concurrent revocations exactly one wins', async () => {
      const t = oauth1AccessToken();
      await ctx.store.oauth1AccessTokens.insert(t);
      expect(await winners(10, () => ctx.store.oauth1AccessTokens.revoke(t.digest, NOW))).toBe(1);
    });

    test('an expired token can still be retired by revoke (session refresh comes after expiry)', async () => {
      const t = oauth1AccessToken({ expiresAt: NOW - HOUR });
      await ctx.store.oauth1AccessTokens.insert(t);
      expect(await ctx.store.oauth1AccessTokens.revoke(t.digest, NOW)).toBe(true);
    });

    test('revokeBySession revokes the live tokens of that session only and returns their digests', async () => {
      const handle = digest();
      const a = oauth1AccessToken({ sessionDigest: handle });
      const b = oauth1AccessToken({ sessionDigest: handle });
      const old = oauth1AccessToken({ sessionDigest: handle, revokedAt: NOW - 1 });
      const other = oauth1AccessToken();
      for (const t of [a, b, old, other]) await ctx.store.oauth1AccessTokens.insert(t);
      const revoked = await ctx.store.oauth1AccessTokens.revokeBySession(handle, NOW);
      expect(revoked.sort()).toEqual([a.digest, b.digest].sort());
      expect((await ctx.store.oauth1AccessTokens.find(a.digest))?.revokedAt).toBe(NOW);
      expect((await ctx.store.oauth1AccessTokens.find(other.digest))?.revokedAt).toBeNull();
      expect(await ctx.store.oauth1AccessTokens.revokeBySession(handle, NOW)).toEqual([]);
    });
  });
}
