import { IsNull, MoreThan } from 'typeorm';
import { AccessToken, AuthorizationCode, RefreshToken } from '../entities';
import type { Executor } from '../executor';
import type { AccessTokenRepository, AuthorizationCodeRepository, RefreshTokenRepository } from '../types';
import { plainRow } from './plain';
import { affectedRows, insertHotRow, insertRow, updateReturningDigests, updateWhere } from './sql';
import { ACCESS_TOKENS, REFRESH_TOKENS } from '../hot-tables';

export function authorizationCodeRepository(exec: Executor): AuthorizationCodeRepository {
  return {
    insert: (code) => insertRow(exec, AuthorizationCode, code, 'authorization code'),
    find: (digest) => plainRow(exec.manager.findOneBy(AuthorizationCode, { digest })),
    consume: (digest, now) =>
      updateWhere(
        exec,
        AuthorizationCode,
        { digest, consumedAt: IsNull(), expiresAt: MoreThan(now) },
        { consumedAt: now },
      ),
  };
}

export function accessTokenRepository(exec: Executor): AccessTokenRepository {
  return {
    insert: (token) => insertHotRow(exec, ACCESS_TOKENS, token),
    find: (digest) => plainRow(exec.manager.findOneBy(AccessToken, { digest })),
    revoke: (digest, now) => updateWhere(exec, AccessToken, { digest, revokedAt: IsNull() }, { revokedAt: now }),
    revokeFamily: (familyId, now) =>
      updateReturningDigests(exec, AccessToken, { familyId, revokedAt: IsNull() }, { revokedAt: now }),
    revokeByCode: (codeDigest, now) =>
      updateReturningDigests(exec, AccessToken, { codeDigest, revokedAt: IsNull() }, { revokedAt: now }),
  };
}

export function refreshTokenRepository(exec: Executor): RefreshTokenRepository {
  return {
    insert: (token) => insertHotRow(exec, REFRESH_TOKENS, token),
    find: (digest) => plainRow(exec.manager.findOneBy(RefreshToken, { digest })),
    rotate: (digest, now) =>
      updateWhere(
        exec,
        RefreshToken,
        { digest, rotatedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) },
        { rotatedAt: now },
      ),
    async revokeFamily(familyId, now) {
      const result = await exec.write((m) => m.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: now }));
      return affectedRows(result);
    },
  };
}
