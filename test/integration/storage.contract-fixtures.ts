import { randomBytes, randomUUID } from 'node:crypto';
import { tokenDigest, randomToken } from '../../src/crypto';
import { openStore, type Store, type StoreOptions } from '../../src/storage';
import type {
  AccessTokenRow,
  AuthorizationCodeRow,
  ClientRow,
  ConsumerRow,
  DeviceCodeRow,
  OAuth1AccessTokenRow,
  OAuth1SessionRow,
  ProfileRow,
  RefreshTokenRow,
  RequestTokenRow,
  UserRow,
} from '../../src/storage/types';

/** A database the contract runs against: each create() is a fresh, empty, isolated one. */
export interface StoreTarget {
  readonly kind: 'sqlite' | 'postgres';
  create(): Promise<{ options: StoreOptions; dispose(): Promise<void> }>;
}

/** One store per describe block: opened before its tests, closed and dropped after. */
export function useStore(target: StoreTarget): { store: Store; options: StoreOptions } {
  const ctx = {} as { store: Store; options: StoreOptions };
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const db = await target.create();
    dispose = db.dispose;
    ctx.options = db.options;
    ctx.store = await openStore(db.options);
  });
  afterAll(async () => {
    await ctx.store?.close();
    await dispose?.();
  });
  return ctx;
}

/** A fixed "now"; every test states its times relative to it. */
export const NOW = 1_800_000_000_000;
export const HOUR = 3_600_000;

export const id = () => randomUUID();
export const digest = () => tokenDigest(randomToken());
export const shortId = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

/** How many of n concurrent calls returned true. */
export async function winners(n: number, call: (i: number) => Promise<boolean>): Promise<number> {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
  return results.filter(Boolean).length;
}

export const profile = (o: Partial<ProfileRow> = {}): ProfileRow => ({
  id: id(), name: shortId('profile'), privileges: ['read', 'write'], createdAt: NOW, version: 0, ...o,
});

export const user = (o: Partial<UserRow> = {}): UserRow => {
  const username = o.username ?? shortId('User');
  return {
    id: id(), username, usernameKey: username.toLowerCase(), passwordHash: 'scrypt$hash', profileId: null,
    enabled: true, credentialVersion: 0, createdAt: NOW, source: 'local', displayName: null, email: null, version: 0, updatedAt: null, ...o,
  };
};

export const consumer = (o: Partial<ConsumerRow> = {}): ConsumerRow => ({
  key: shortId('ck'), name: shortId('consumer'), secretEnc: 'sealed', callbackUrl: null, callbackMatch: 'prefix', xauth: false,
  profileId: null, accessTtl: null, enabled: true, createdAt: NOW, rsaPublicKey: null, signatureMethods: null, requestor: false, version: 0,
  previousSecretEnc: null, previousSecretExpiresAt: null, ...o,
});

export const client = (o: Partial<ClientRow> = {}): ClientRow => ({
  clientId: shortId('client'), name: 'Client', secretHash: null, redirectUris: ['https://app.example/cb'],
  grants: ['authorization_code'], scopes: ['read'], refresh: true, implicit: false, allowPlainPkce: false, requirePar: false,
  accessTtl: null, refreshTtl: null, codeTtl: null, profileId: null, enabled: true, createdAt: NOW, version: 0,
  previousSecretHash: null, previousSecretExpiresAt: null,
  idTokenAlg: null, accessTokenFormat: 'opaque', postLogoutRedirectUris: null, ...o,
});

export const requestToken = (o: Partial<RequestTokenRow> = {}): RequestTokenRow => ({
  digest: digest(), consumerKey: 'ck', secretEnc: 'sealed', callback: 'oob', verifierDigest: null, userId: null,
  authorizedAt: null, deniedAt: null, usedAt: null, expiresAt: NOW + HOUR, createdAt: NOW, ...o,
});

export const session = (o: Partial<OAuth1SessionRow> = {}): OAuth1SessionRow => ({
  handleDigest: digest(), consumerKey: 'ck', userId: 'u1', expiresAt: NOW + 24 * HOUR, revokedAt: null,
  createdAt: NOW, ...o,
});

export const oauth1AccessToken = (o: Partial<OAuth1AccessTokenRow> = {}): OAuth1AccessTokenRow => ({
  digest: digest(), sessionDigest: digest(), consumerKey: 'ck', userId: 'u1', secretEnc: 'sealed',
  expiresAt: NOW + HOUR, revokedAt: null, createdAt: NOW, ...o,
});

export const authorizationCode = (o: Partial<AuthorizationCodeRow> = {}): AuthorizationCodeRow => ({
  digest: digest(), clientId: 'c1', userId: 'u1', redirectUri: 'https://app.example/cb', scope: 'read',
  codeChallenge: null, codeChallengeMethod: null, expiresAt: NOW + 600_000, consumedAt: null, createdAt: NOW, nonce: null, authTime: null, ...o,
});

export const accessToken = (o: Partial<AccessTokenRow> = {}): AccessTokenRow => ({
  digest: digest(), clientId: 'c1', userId: 'u1', scope: 'read', grantType: 'authorization_code',
  familyId: null, codeDigest: null, expiresAt: NOW + HOUR, revokedAt: null, createdAt: NOW, ...o,
});

export const refreshToken = (o: Partial<RefreshTokenRow> = {}): RefreshTokenRow => ({
  digest: digest(), familyId: id(), clientId: 'c1', userId: 'u1', scope: 'read', expiresAt: NOW + 24 * HOUR,
  rotatedAt: null, revokedAt: null, createdAt: NOW, ...o,
});

export const deviceCode = (o: Partial<DeviceCodeRow> = {}): DeviceCodeRow => ({
  digest: digest(), userCode: randomBytes(4).toString('hex').toUpperCase(), clientId: 'c1', scope: 'read',
  status: 'pending', userId: null, interval: 5, lastPolledAt: null, expiresAt: NOW + 600_000, consumedAt: null,
  createdAt: NOW, ...o,
});
