import { In, IsNull, MoreThan, Not } from 'typeorm';
import { AccessToken, AuthorizationCode, Consent, DeviceCode, OAuth1AccessToken, OAuth1Session, RefreshToken, RequestToken, User } from '../entities';
import type { Executor } from '../executor';
import type { GrantRepository } from '../types';
import { affectedRows } from './sql';

// Taking back, in the database, everything an account was given. Each statement touches only
// rows still in force, so running it twice changes nothing more. Used rows stay (a consumed code
// or a rotated refresh token must still be recognised when replayed); unused codes are deleted.

export function grantRepository(exec: Executor): GrantRepository {
  const run = async (statements: Array<() => Promise<{ affected?: number | null }>>): Promise<number> => {
    let changed = 0;
    for (const statement of statements) changed += affectedRows(await statement());
    return changed;
  };
  const write = exec.write.bind(exec);

  return {
    revokeUser: (userId, now) =>
      run([
        () => write((m) => m.update(AccessToken, { userId, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((m) => m.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((m) => m.update(OAuth1Session, { userId, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((m) => m.update(OAuth1AccessToken, { userId, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((m) => m.delete(AuthorizationCode, { userId, consumedAt: IsNull() })),
        () => write((m) => m.update(DeviceCode, { userId, status: 'approved', consumedAt: IsNull() }, { status: 'denied' })),
        () => write((m) => m.update(RequestToken, { userId, authorizedAt: Not(IsNull()), usedAt: IsNull(), deniedAt: IsNull() }, { deniedAt: now })),
        () => write((m) => m.delete(Consent, { userId })),
        // Ends the browser sign-ins made before (they carry the version they were made under).
        () => write((m) => m.createQueryBuilder().update(User).set({ credentialVersion: () => '"credentialVersion" + 1' }).where({ id: userId }).execute()),
      ]),

    revokeClient: (clientId, now) =>
      run([
        () => write((m) => m.update(AccessToken, { clientId, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((m) => m.update(RefreshToken, { clientId, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((m) => m.delete(AuthorizationCode, { clientId, consumedAt: IsNull() })),
        () => write((m) => m.update(DeviceCode, { clientId, status: In(['pending', 'approved']), consumedAt: IsNull() }, { status: 'denied' })),
        () => write((m) => m.delete(Consent, { clientId })),
      ]),

    revokeConsumer: (consumerKey, now) =>
      run([
        () => write((m) => m.update(OAuth1Session, { consumerKey, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((m) => m.update(OAuth1AccessToken, { consumerKey, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((m) => m.update(RequestToken, { consumerKey, usedAt: IsNull(), deniedAt: IsNull() }, { deniedAt: now })),
      ]),

    endConsumerAt: (consumerKey, at) =>
      run([
        () => write((m) => m.update(OAuth1Session, { consumerKey, revokedAt: IsNull(), expiresAt: MoreThan(at) }, { expiresAt: at })),
        () => write((m) => m.update(OAuth1AccessToken, { consumerKey, revokedAt: IsNull(), expiresAt: MoreThan(at) }, { expiresAt: at })),
        () => write((m) => m.update(RequestToken, { consumerKey, usedAt: IsNull(), deniedAt: IsNull(), expiresAt: MoreThan(at) }, { expiresAt: at })),
      ]),
  };
}
