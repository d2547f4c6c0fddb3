import { IsNull, MoreThan, Not } from 'typeorm';
import { OAuth1AccessToken, OAuth1Session, RequestToken } from '../entities';
import type { Executor } from '../executor';
import type { OAuth1AccessTokenRepository, OAuth1SessionRepository, RequestTokenRepository } from '../types';
import { plainRow } from './plain';
import { insertHotRow, insertRow, updateReturningDigests, updateWhere } from './sql';
import { OAUTH1_ACCESS_TOKENS, OAUTH1_SESSIONS } from '../hot-tables';

export function requestTokenRepository(exec: Executor): RequestTokenRepository {
  // Still open for the user's decision: unexpired, neither authorized nor denied nor used.
  const undecided = (digest: string, now: number) => ({
    digest,
    authorizedAt: IsNull(),
    deniedAt: IsNull(),
    usedAt: IsNull(),
    expiresAt: MoreThan(now),
  });
  return {
    insert: (token) => insertRow(exec, RequestToken, token, 'request token'),
    find: (digest) => plainRow(exec.manager.findOneBy(RequestToken, { digest })),
    authorize: (digest, userId, verifierDigest, now) =>
      updateWhere(exec, RequestToken, undecided(digest, now), { userId, verifierDigest, authorizedAt: now }),
    deny: (digest, now) => updateWhere(exec, RequestToken, undecided(digest, now), { deniedAt: now }),
    consume: (digest, now) =>
      updateWhere(
        exec,
        RequestToken,
        { digest, authorizedAt: Not(IsNull()), deniedAt: IsNull(), usedAt: IsNull(), expiresAt: MoreThan(now) },
        { usedAt: now },
      ),
  };
}

export function oauth1SessionRepository(exec: Executor): OAuth1SessionRepository {
  return {
    insert: (session) => insertHotRow(exec, OAUTH1_SESSIONS, session),
    find: (handleDigest) => plainRow(exec.manager.findOneBy(OAuth1Session, { handleDigest })),
    revoke: (handleDigest, now) =>
      updateWhere(exec, OAuth1Session, { handleDigest, revokedAt: IsNull() }, { revokedAt: now }),
  };
}

export function oauth1AccessTokenRepository(exec: Executor): OAuth1AccessTokenRepository {
  return {
    insert: (token) => insertHotRow(exec, OAUTH1_ACCESS_TOKENS, token),
    find: (digest) => plainRow(exec.manager.findOneBy(OAuth1AccessToken, { digest })),
    // Not conditioned on expiry: the session extension refreshes exactly when the access token has
    // expired, and this is how that refresh retires it (once).
    revoke: (digest, now) => updateWhere(exec, OAuth1AccessToken, { digest, revokedAt: IsNull() }, { revokedAt: now }),
    revokeBySession: (sessionDigest, now) =>
      updateReturningDigests(exec, OAuth1AccessToken, { sessionDigest, revokedAt: IsNull() }, { revokedAt: now }),
  };
}
