import { Brackets, IsNull, LessThan, Not, type EntityManager } from 'typeorm';
import {
  AccessToken,
  AuthorizationCode,
  DeviceCode,
  OAuth1AccessToken,
  OAuth1Session,
  RefreshToken,
  RequestToken,
  RevocationLogEntry,
} from './entities';
import type { Executor } from './executor';
import { affectedRows } from './repositories/sql';

/**
 * How long the revocation log keeps an entry: far longer than any node keeps a verified credential
 * in memory (a minute), so a node that missed some seconds of it still finds what it missed.
 */
const REVOCATION_LOG_RETENTION_MS = 24 * 60 * 60 * 1000;

// Each table keeps a row until its own expiry: a rotated refresh token stays until it expires so a
// replay is still recognised, and a session outlives the access tokens issued under it.
const byOwnExpiry = [RequestToken, AuthorizationCode, AccessToken, RefreshToken, DeviceCode, OAuth1Session] as const;

// An expired OAuth 1.0a access token is what the consumer presents to refresh its session, so it
// stays while its session is live and it has not been retired.
async function sweepOAuth1AccessTokens(m: EntityManager, now: number): Promise<number> {
  const liveSessions = m
    .createQueryBuilder()
    .subQuery()
    .select('s.handleDigest')
    .from(OAuth1Session, 's')
    .where('s.expiresAt >= :now')
    .andWhere('s.revokedAt IS NULL')
    .getQuery();
  const sessionDigest = m.connection.driver.escape('sessionDigest');
  const result = await m
    .createQueryBuilder()
    .delete()
    .from(OAuth1AccessToken)
    .where({ expiresAt: LessThan(now) })
    .andWhere(
      new Brackets((w) => w.where({ revokedAt: Not(IsNull()) }).orWhere(`${sessionDigest} NOT IN ${liveSessions}`)),
    )
    .setParameter('now', now)
    .execute();
  return affectedRows(result);
}

/** Deletes rows whose lifetime ended before `now`; returns how many. */
export async function sweepExpired(exec: Executor, now: number): Promise<number> {
  // One statement per table, each its own write in the group commit, so sweeping never holds the
  // database for long.
  let deleted = await exec.write((m) => sweepOAuth1AccessTokens(m, now));
  for (const target of byOwnExpiry) {
    const result = await exec.write((m) => m.delete(target, { expiresAt: LessThan(now) }));
    deleted += affectedRows(result);
  }
  const log = await exec.write((m) => m.delete(RevocationLogEntry, { at: LessThan(now - REVOCATION_LOG_RETENTION_MS) }));
  return deleted + affectedRows(log);
}
