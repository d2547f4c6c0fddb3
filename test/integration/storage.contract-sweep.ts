import {
  HOUR, NOW, accessToken, authorizationCode, deviceCode, oauth1AccessToken, refreshToken, requestToken, session,
  useStore, type StoreTarget,
} from './storage.contract-fixtures';

export function sweepContract(target: StoreTarget): void {
  const ctx = useStore(target);
  const past = NOW - 1;
  const later = NOW + HOUR;

  test('sweepExpired deletes the expired rows of every token table and counts them', async () => {
    const s = ctx.store;
    await s.sweepExpired(NOW); // rows left by earlier tests don't count
    const expired = {
      request: requestToken({ expiresAt: past }),
      code: authorizationCode({ expiresAt: past }),
      access: accessToken({ expiresAt: past }),
      refresh: refreshToken({ expiresAt: past }),
      device: deviceCode({ expiresAt: past }),
      session: session({ expiresAt: past }),
      oauth1: oauth1AccessToken({ expiresAt: past, revokedAt: past }),
    };
    const live = {
      request: requestToken({ expiresAt: later }),
      code: authorizationCode({ expiresAt: later }),
      access: accessToken({ expiresAt: later }),
      refresh: refreshToken({ expiresAt: later }),
      device: deviceCode({ expiresAt: later }),
      session: session({ expiresAt: later }),
      oauth1: oauth1AccessToken({ expiresAt: later }),
    };
    for (const rows of [expired, live]) {
      await s.requestTokens.insert(rows.request);
      await s.authorizationCodes.insert(rows.code);
      await s.accessTokens.insert(rows.access);
      await s.refreshTokens.insert(rows.refresh);
      await s.deviceCodes.insert(rows.device);
      await s.oauth1Sessions.insert(rows.session);
      await s.oauth1AccessTokens.insert(rows.oauth1);
    }
    expect(await s.sweepExpired(NOW)).toBe(7);
    expect(await s.requestTokens.find(expired.request.digest)).toBeNull();
    expect(await s.authorizationCodes.find(expired.code.digest)).toBeNull();
    expect(await s.accessTokens.find(expired.access.digest)).toBeNull();
    expect(await s.refreshTokens.find(expired.refresh.digest)).toBeNull();
    expect(await s.deviceCodes.find(expired.device.digest)).toBeNull();
    expect(await s.oauth1Sessions.find(expired.session.handleDigest)).toBeNull();
    expect(await s.oauth1AccessTokens.find(expired.oauth1.digest)).toBeNull();
    expect(await s.requestTokens.find(live.request.digest)).not.toBeNull();
    expect(await s.authorizationCodes.find(live.code.digest)).not.toBeNull();
    expect(await s.accessTokens.find(live.access.digest)).not.toBeNull();
    expect(await s.refreshTokens.find(live.refresh.digest)).not.toBeNull();
    expect(await s.deviceCodes.find(live.device.digest)).not.toBeNull();
    expect(await s.oauth1Sessions.find(live.session.handleDigest)).not.toBeNull();
    expect(await s.oauth1AccessTokens.find(live.oauth1.digest)).not.toBeNull();
  });

  test('a rotated refresh token is kept until its own expiry', async () => {
    const t = refreshToken({ rotatedAt: past, expiresAt: later });
    await ctx.store.refreshTokens.insert(t);
    await ctx.store.sweepExpired(NOW);
    expect(await ctx.store.refreshTokens.find(t.digest)).not.toBeNull();
  });

  test('an expired OAuth 1.0a access token is kept while its session is live, for the session refresh', async () => {
    const s = session({ expiresAt: later });
    const t = oauth1AccessToken({ sessionDigest: s.handleDigest, expiresAt: past });
    await ctx.store.oauth1Sessions.insert(s);
    await ctx.store.oauth1AccessTokens.insert(t);
    await ctx.store.sweepExpired(NOW);
    expect(await ctx.store.oauth1AccessTokens.find(t.digest)).not.toBeNull();
  });

  test('an expired OAuth 1.0a access token goes once it was retired or its session was revoked', async () => {
    const s = session({ expiresAt: later });
    const revokedSession = session({ expiresAt: later, revokedAt: past });
    const retired = oauth1AccessToken({ sessionDigest: s.handleDigest, expiresAt: past, revokedAt: past });
    const orphan = oauth1AccessToken({ sessionDigest: revokedSession.handleDigest, expiresAt: past });
    await ctx.store.oauth1Sessions.insert(s);
    await ctx.store.oauth1Sessions.insert(revokedSession);
    await ctx.store.oauth1AccessTokens.insert(retired);
    await ctx.store.oauth1AccessTokens.insert(orphan);
    await ctx.store.sweepExpired(NOW);
    expect(await ctx.store.oauth1AccessTokens.find(retired.digest)).toBeNull();
    expect(await ctx.store.oauth1AccessTokens.find(orphan.digest)).toBeNull();
  });
}
