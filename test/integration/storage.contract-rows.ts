import type { Store } from '../../src/storage';
import {
  NOW,
  accessToken,
  authorizationCode,
  client,
  consumer,
  deviceCode,
  id,
  oauth1AccessToken,
  profile,
  refreshToken,
  requestToken,
  session,
  useStore,
  user,
  type StoreTarget,
} from './storage.contract-fixtures';

/** A row as a caller may hold it: read-only all the way down. */
function frozen<R extends object>(row: R): R {
  for (const value of Object.values(row)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(row);
}

const isPlain = (value: unknown) => value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** Writes a row and reads it back: [what was written, what the store returned]. */
type RoundTrip = (store: Store) => Promise<[object, unknown]>;

const roundTrips: Array<[string, RoundTrip]> = [
  ['profile', async (s) => { const r = frozen(profile()); await s.profiles.create(r); return [r, await s.profiles.findById(r.id)]; }],
  ['user', async (s) => { const r = frozen(user()); await s.users.create(r); return [r, await s.users.findById(r.id)]; }],
  ['consumer', async (s) => {
    const r = frozen(consumer({ callbackUrl: 'https://consumer.example/cb', callbackMatch: 'exact', accessTtl: 60 }));
    await s.consumers.create(r);
    return [r, await s.consumers.findByKey(r.key)];
  }],
  ['client', async (s) => {
    const r = frozen(client({ secretHash: 'scrypt$hash', grants: ['authorization_code', 'refresh_token'], accessTtl: 60 }));
    await s.clients.create(r);
    return [r, await s.clients.findById(r.clientId)];
  }],
  ['request token', async (s) => { const r = frozen(requestToken()); await s.requestTokens.insert(r); return [r, await s.requestTokens.find(r.digest)]; }],
  ['OAuth 1.0a session', async (s) => { const r = frozen(session()); await s.oauth1Sessions.insert(r); return [r, await s.oauth1Sessions.find(r.handleDigest)]; }],
  ['OAuth 1.0a access token', async (s) => {
    const r = frozen(oauth1AccessToken());
    await s.oauth1AccessTokens.insert(r);
    return [r, await s.oauth1AccessTokens.find(r.digest)];
  }],
  ['authorization code', async (s) => {
    const r = frozen(authorizationCode({ codeChallenge: 'challenge', codeChallengeMethod: 'S256' }));
    await s.authorizationCodes.insert(r);
    return [r, await s.authorizationCodes.find(r.digest)];
  }],
  ['access token', async (s) => { const r = frozen(accessToken({ familyId: id() })); await s.accessTokens.insert(r); return [r, await s.accessTokens.find(r.digest)]; }],
  ['refresh token', async (s) => { const r = frozen(refreshToken()); await s.refreshTokens.insert(r); return [r, await s.refreshTokens.find(r.digest)]; }],
  ['device code', async (s) => { const r = frozen(deviceCode()); await s.deviceCodes.insert(r); return [r, await s.deviceCodes.find(r.digest)]; }],
];

// The store takes plain read-only rows and gives plain rows back: nothing outside src/storage ever
// holds a TypeORM entity, and writing a row never changes the caller's object.
export function rowsContract(target: StoreTarget): void {
  const ctx = useStore(target);

  test.each(roundTrips)('a %s is written from a frozen row and read back as a plain object with exactly its fields', async (_, roundTrip) => {
    const [written, found] = await roundTrip(ctx.store);
    expect(isPlain(found)).toBe(true);
    expect(found).toStrictEqual(written);
  });

  test('lists, lookups by another key and consents are plain objects too', async () => {
    const s = ctx.store;
    const u = user();
    await s.users.create(u);
    await s.profiles.create(profile());
    await s.consumers.create(consumer());
    await s.clients.create(client());
    const dc = deviceCode();
    await s.deviceCodes.insert(dc);
    await s.consents.grant(u.id, 'c1', ['read'], NOW);
    const found = [
      ...(await s.profiles.list()),
      ...(await s.users.list()),
      ...(await s.consumers.list()),
      ...(await s.clients.list()),
      await s.users.findByUsername(u.username),
      await s.deviceCodes.findByUserCode(dc.userCode),
      await s.consents.find(u.id, 'c1'),
    ];
    expect(found.length).toBeGreaterThanOrEqual(7);
    expect(found.filter((row) => !isPlain(row))).toEqual([]);
  });
}
