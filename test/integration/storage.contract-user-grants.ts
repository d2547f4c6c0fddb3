import {
  HOUR, NOW, accessToken, authorizationCode, deviceCode, digest, id, oauth1AccessToken, refreshToken, requestToken, session, shortId, useStore, user,
  type StoreTarget,
} from './storage.contract-fixtures';

/** The migration bridge's consumer links, and one user's grants across protocols (list, and take back per client or consumer). */
export function userGrantsContract(target: StoreTarget): void {
  describe('consumer links', () => {
    const ctx = useStore(target);

    test('a link is found, replaced by a new one, listed, and removed once', async () => {
      const key = shortId('ck');
      expect(await ctx.store.consumerLinks.find(key)).toBeNull();
      await ctx.store.consumerLinks.link({ consumerKey: key, clientId: 'first', createdAt: NOW });
      await ctx.store.consumerLinks.link({ consumerKey: key, clientId: 'second', createdAt: NOW + 1 });
      expect(await ctx.store.consumerLinks.find(key)).toEqual({ consumerKey: key, clientId: 'second', createdAt: NOW + 1 });
      expect((await ctx.store.consumerLinks.list()).filter((l) => l.consumerKey === key)).toHaveLength(1);
      expect(await ctx.store.consumerLinks.unlink(key)).toBe(true);
      expect(await ctx.store.consumerLinks.unlink(key)).toBe(false);
      expect(await ctx.store.consumerLinks.find(key)).toBeNull();
    });
  });

  describe("a user's grants", () => {
    const ctx = useStore(target);

    async function userHoldingEverything() {
      const u = user();
      await ctx.store.users.create(u);
      const family = id();
      const rows = {
        session: session({ userId: u.id, consumerKey: 'ck-a' }),
        otherSession: session({ userId: u.id, consumerKey: 'ck-b' }),
        endedSession: session({ userId: u.id, consumerKey: 'ck-a', revokedAt: NOW }),
        oauth1: oauth1AccessToken({ userId: u.id, consumerKey: 'ck-a' }),
        request: requestToken({ userId: u.id, consumerKey: 'ck-a', authorizedAt: NOW, verifierDigest: digest() }),
        refresh: refreshToken({ userId: u.id, clientId: 'web', familyId: family, scope: 'read write' }),
        rotated: refreshToken({ userId: u.id, clientId: 'web', familyId: family, rotatedAt: NOW }),
        familyAccess: accessToken({ userId: u.id, clientId: 'web', familyId: family }),
        single: accessToken({ userId: u.id, clientId: 'svc' }),
        expired: accessToken({ userId: u.id, clientId: 'svc', expiresAt: NOW - 1 }),
        code: authorizationCode({ userId: u.id, clientId: 'web' }),
        device: deviceCode({ userId: u.id, clientId: 'web', status: 'approved' }),
        pendingDevice: deviceCode({ clientId: 'web' }),
      };
      await ctx.store.transaction(async (tx) => {
        for (const s of [rows.session, rows.otherSession, rows.endedSession]) await tx.oauth1Sessions.insert(s);
        await tx.oauth1AccessTokens.insert(rows.oauth1);
        await tx.requestTokens.insert(rows.request);
        for (const r of [rows.refresh, rows.rotated]) await tx.refreshTokens.insert(r);
        for (const a of [rows.familyAccess, rows.single, rows.expired]) await tx.accessTokens.insert(a);
        await tx.authorizationCodes.insert(rows.code);
        for (const d of [rows.device, rows.pendingDevice]) await tx.deviceCodes.insert(d);
        await tx.consents.grant(u.id, 'web', ['read'], NOW);
      });
      return { u, family, rows };
    }

    test('listUser gives live sessions, one entry per live refresh family, single tokens, consents and approved device codes', async () => {
      const { u, family, rows } = await userHoldingEverything();
      const grants = await ctx.store.userGrants.listUser(u.id, NOW + 1);
      expect(grants.oauth1Sessions.map((s) => s.handleDigest).sort()).toEqual([rows.session.handleDigest, rows.otherSession.handleDigest].sort());
      expect(grants.tokenFamilies).toEqual([{ familyId: family, clientId: 'web', scope: 'read write', expiresAt: rows.refresh.expiresAt, createdAt: NOW }]);
      expect(grants.singleAccessTokens.map((t) => t.digest)).toEqual([rows.single.digest]);
      expect(grants.consents.map((c) => c.clientId)).toEqual(['web']);
      expect(grants.deviceGrants.map((d) => d.digest)).toEqual([rows.device.digest]);
      // Nothing is live a day later but the consent.
      const later = await ctx.store.userGrants.listUser(u.id, NOW + 48 * HOUR);
      expect([later.oauth1Sessions, later.tokenFamilies, later.singleAccessTokens, later.deviceGrants]).toEqual([[], [], [], []]);
      expect(later.consents).toHaveLength(1);
    });

    test("revokeUserClient ends only that client's grants of the user", async () => {
      const { u, rows } = await userHoldingEverything();
      const changed = await ctx.store.transaction((tx) => tx.userGrants.revokeUserClient(u.id, 'web', NOW + 1));
      expect(changed).toBe(6); // two refresh tokens, one access token, the code, the device code, the consent
      expect((await ctx.store.accessTokens.find(rows.familyAccess.digest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.refreshTokens.find(rows.refresh.digest))?.revokedAt).toBe(NOW + 1);
      expect(await ctx.store.authorizationCodes.find(rows.code.digest)).toBeNull();
      expect((await ctx.store.deviceCodes.find(rows.device.digest))?.status).toBe('denied');
      expect(await ctx.store.consents.find(u.id, 'web')).toBeNull();
      expect((await ctx.store.accessTokens.find(rows.single.digest))?.revokedAt).toBeNull();
      expect((await ctx.store.oauth1Sessions.find(rows.session.handleDigest))?.revokedAt).toBeNull();
      expect(await ctx.store.userGrants.revokeUserClient(u.id, 'web', NOW + 2)).toBe(0);
    });

    test('revokeUserGrant ends one refresh family: its tokens, and names only the unexpired access tokens', async () => {
      const { u, family, rows } = await userHoldingEverything();
      const old = accessToken({ userId: u.id, clientId: 'web', familyId: family, expiresAt: NOW - 1 });
      await ctx.store.accessTokens.insert(old);
      const other = user();
      await ctx.store.users.create(other);
      const result = await ctx.store.transaction((tx) => tx.userGrants.revokeUserGrant(other.id, { kind: 'token_family', familyId: family }, NOW + 1));
      expect(result).toEqual({ changed: 0, digests: [] }); // another user's family is out of reach
      const ended = await ctx.store.transaction((tx) => tx.userGrants.revokeUserGrant(u.id, { kind: 'token_family', familyId: family }, NOW + 1));
      expect(ended.digests).toEqual([rows.familyAccess.digest]);
      expect(ended.changed).toBe(4); // two access tokens, two refresh tokens
      expect((await ctx.store.refreshTokens.find(rows.refresh.digest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.accessTokens.find(rows.single.digest))?.revokedAt).toBeNull();
      expect(await ctx.store.userGrants.revokeUserGrant(u.id, { kind: 'token_family', familyId: family }, NOW + 2)).toEqual({ changed: 0, digests: [] });
    });

    test('revokeUserGrant ends one session with its access tokens, one single token, one device approval, one consent', async () => {
      const { u, rows } = await userHoldingEverything();
      const inSession = oauth1AccessToken({ userId: u.id, consumerKey: 'ck-a', sessionDigest: rows.session.handleDigest });
      await ctx.store.oauth1AccessTokens.insert(inSession);
      const session = await ctx.store.userGrants.revokeUserGrant(u.id, { kind: 'oauth1_session', handleDigest: rows.session.handleDigest }, NOW + 1);
      expect(session).toEqual({ changed: 2, digests: [inSession.digest] });
      expect((await ctx.store.oauth1Sessions.find(rows.otherSession.handleDigest))?.revokedAt).toBeNull();
      expect((await ctx.store.oauth1AccessTokens.find(rows.oauth1.digest))?.revokedAt).toBeNull();
      expect(await ctx.store.userGrants.revokeUserGrant(u.id, { kind: 'access_token', digest: rows.single.digest }, NOW + 1)).toEqual({ changed: 1, digests: [rows.single.digest] });
      // A token of a family is ended with its family, not alone.
      expect(await ctx.store.userGrants.revokeUserGrant(u.id, { kind: 'access_token', digest: rows.familyAccess.digest }, NOW + 1)).toEqual({ changed: 0, digests: [] });
      expect(await ctx.store.userGrants.revokeUserGrant(u.id, { kind: 'device_grant', digest: rows.device.digest }, NOW + 1)).toEqual({ changed: 1, digests: [] });
      expect((await ctx.store.deviceCodes.find(rows.device.digest))?.status).toBe('denied');
      expect(await ctx.store.userGrants.revokeUserGrant(u.id, { kind: 'consent', clientId: 'web' }, NOW + 1)).toEqual({ changed: 1, digests: [] });
      expect(await ctx.store.consents.find(u.id, 'web')).toBeNull();
    });

    test("revokeUserConsumer ends only that consumer's sessions, tokens and authorized request tokens of the user", async () => {
      const { u, rows } = await userHoldingEverything();
      const changed = await ctx.store.userGrants.revokeUserConsumer(u.id, 'ck-a', NOW + 1);
      expect(changed).toBe(3);
      expect((await ctx.store.oauth1Sessions.find(rows.session.handleDigest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.oauth1AccessTokens.find(rows.oauth1.digest))?.revokedAt).toBe(NOW + 1);
      expect((await ctx.store.requestTokens.find(rows.request.digest))?.deniedAt).toBe(NOW + 1);
      expect((await ctx.store.oauth1Sessions.find(rows.otherSession.handleDigest))?.revokedAt).toBeNull();
      expect((await ctx.store.accessTokens.find(rows.single.digest))?.revokedAt).toBeNull();
    });
  });
}
