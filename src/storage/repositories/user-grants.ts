import { IsNull, MoreThan, Not } from 'typeorm';
import { AccessToken, AuthorizationCode, Consent, DeviceCode, OAuth1AccessToken, OAuth1Session, RefreshToken, RequestToken } from '../entities';
import type { Executor } from '../executor';
import type { TokenFamilySummary, UserGrantRepository } from '../types';
import { plainRows } from './plain';
import { affectedRows } from './sql';

// One user's grants across protocols: what `user grants` lists and what `user revoke --client` or
// `--consumer` takes back. Like grants.ts, each statement touches only rows still in force, so
// running it twice changes nothing more; used rows stay, to be recognised when replayed.

/** A family is live while it has an unrotated, unrevoked, unexpired refresh token (two within the reuse grace period). */
function families(tokens: readonly RefreshToken[]): TokenFamilySummary[] {
  const byFamily = new Map<string, TokenFamilySummary>();
  for (const t of tokens) {
    const seen = byFamily.get(t.familyId);
    if (seen && seen.expiresAt >= t.expiresAt) continue;
    byFamily.set(t.familyId, { familyId: t.familyId, clientId: t.clientId, scope: t.scope, expiresAt: t.expiresAt, createdAt: seen?.createdAt ?? t.createdAt });
  }
  return [...byFamily.values()].sort((a, b) => a.createdAt - b.createdAt);
}

export function userGrantRepository(exec: Executor): UserGrantRepository {
  const run = async (statements: Array<() => Promise<{ affected?: number | null }>>): Promise<number> => {
    let changed = 0;
    for (const statement of statements) changed += affectedRows(await statement());
    return changed;
  };
  const write = exec.write.bind(exec);
  const m = () => exec.manager;

  return {
    async listUser(userId, now) {
      const live = { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) };
      const [oauth1Sessions, refreshTokens, singleAccessTokens, consents, deviceGrants] = await Promise.all([
        plainRows(m().find(OAuth1Session, { where: live, order: { createdAt: 'ASC' } })),
        m().find(RefreshToken, { where: { ...live, rotatedAt: IsNull() } }),
        plainRows(m().find(AccessToken, { where: { ...live, familyId: IsNull() }, order: { createdAt: 'ASC' } })),
        plainRows(m().find(Consent, { where: { userId }, order: { updatedAt: 'ASC' } })),
        plainRows(m().find(DeviceCode, { where: { userId, status: 'approved', consumedAt: IsNull(), expiresAt: MoreThan(now) }, order: { createdAt: 'ASC' } })),
      ]);
      return { oauth1Sessions, tokenFamilies: families(refreshTokens), singleAccessTokens, consents, deviceGrants };
    },

    async listParty(party, now, limit) {
      const live = { revokedAt: IsNull(), expiresAt: MoreThan(now) };
      if ('consumerKey' in party) {
        const sessions = await m().find(OAuth1Session, { where: { ...live, consumerKey: party.consumerKey }, order: { createdAt: 'ASC' }, take: limit });
        return sessions.map((s) => ({ kind: 'oauth1_session' as const, key: s.handleDigest, userId: s.userId, scope: '', createdAt: Number(s.createdAt), expiresAt: Number(s.expiresAt) }));
      }
      const [refreshTokens, singles] = await Promise.all([
        m().find(RefreshToken, { where: { ...live, clientId: party.clientId, rotatedAt: IsNull() }, order: { createdAt: 'ASC' }, take: limit * 2 }),
        m().find(AccessToken, { where: { ...live, clientId: party.clientId, familyId: IsNull() }, order: { createdAt: 'ASC' }, take: limit }),
      ]);
      const userOfFamily = new Map(refreshTokens.map((t) => [t.familyId, t.userId]));
      const grants = [
        ...families(refreshTokens).map((f) => ({ kind: 'token_family' as const, key: f.familyId, userId: userOfFamily.get(f.familyId) ?? null, scope: f.scope, createdAt: f.createdAt, expiresAt: f.expiresAt })),
        ...singles.map((t) => ({ kind: 'access_token' as const, key: t.digest, userId: t.userId, scope: t.scope, createdAt: Number(t.createdAt), expiresAt: Number(t.expiresAt) })),
      ];
      return grants.sort((a, b) => a.createdAt - b.createdAt).slice(0, limit);
    },

    async revokeUserGrant(userId, grant, now) {
      // Digests of the access tokens still usable: those the nodes may hold in memory.
      const liveDigests = async (entity: typeof AccessToken | typeof OAuth1AccessToken, where: Record<string, unknown>) =>
        (await m().find(entity, { select: { digest: true }, where: { ...where, userId, revokedAt: IsNull(), expiresAt: MoreThan(now) } })).map((t) => t.digest);
      switch (grant.kind) {
        case 'token_family': {
          const digests = await liveDigests(AccessToken, { familyId: grant.familyId });
          const changed = await run([
            () => write((w) => w.update(AccessToken, { userId, familyId: grant.familyId, revokedAt: IsNull() }, { revokedAt: now })),
            () => write((w) => w.update(RefreshToken, { userId, familyId: grant.familyId, revokedAt: IsNull() }, { revokedAt: now })),
          ]);
          return { changed, digests };
        }
        case 'access_token': {
          const digests = await liveDigests(AccessToken, { digest: grant.digest, familyId: IsNull() });
          const changed = await run([() => write((w) => w.update(AccessToken, { userId, digest: grant.digest, familyId: IsNull(), revokedAt: IsNull() }, { revokedAt: now }))]);
          return { changed, digests };
        }
        case 'oauth1_session': {
          const digests = await liveDigests(OAuth1AccessToken, { sessionDigest: grant.handleDigest });
          const changed = await run([
            () => write((w) => w.update(OAuth1Session, { userId, handleDigest: grant.handleDigest, revokedAt: IsNull() }, { revokedAt: now })),
            () => write((w) => w.update(OAuth1AccessToken, { userId, sessionDigest: grant.handleDigest, revokedAt: IsNull() }, { revokedAt: now })),
          ]);
          return { changed, digests };
        }
        case 'device_grant': {
          // Nothing was issued yet: the device's next poll is refused.
          const changed = await run([() => write((w) => w.update(DeviceCode, { userId, digest: grant.digest, status: 'approved', consumedAt: IsNull() }, { status: 'denied' }))]);
          return { changed, digests: [] };
        }
        case 'consent': {
          const changed = await run([() => write((w) => w.delete(Consent, { userId, clientId: grant.clientId }))]);
          return { changed, digests: [] };
        }
      }
    },

    revokeUserClient: (userId, clientId, now) =>
      run([
        () => write((w) => w.update(AccessToken, { userId, clientId, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((w) => w.update(RefreshToken, { userId, clientId, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((w) => w.delete(AuthorizationCode, { userId, clientId, consumedAt: IsNull() })),
        () => write((w) => w.update(DeviceCode, { userId, clientId, status: 'approved', consumedAt: IsNull() }, { status: 'denied' })),
        () => write((w) => w.delete(Consent, { userId, clientId })),
      ]),

    revokeUserConsumer: (userId, consumerKey, now) =>
      run([
        () => write((w) => w.update(OAuth1Session, { userId, consumerKey, revokedAt: IsNull() }, { revokedAt: now })),
        () => write((w) => w.update(OAuth1AccessToken, { userId, consumerKey, revokedAt: IsNull() }, { revokedAt: now })),
        () =>
          write((w) =>
            w.update(RequestToken, { userId, consumerKey, authorizedAt: Not(IsNull()), usedAt: IsNull(), deniedAt: IsNull() }, { deniedAt: now }),
          ),
      ]),
  };
}
