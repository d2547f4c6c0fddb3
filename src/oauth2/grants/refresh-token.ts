import { tokenDigest } from '../../crypto';
import type { Logger } from '../../http/logger';
import type { AccessTokenRepository, RefreshTokenRepository, UserRepository } from '../../storage/types';
import { OAuth2Error } from '../errors';
import { revokeFamily } from '../families';
import type { IssuedTokens } from '../issue';
import { issuesRefreshTokens } from '../lifetimes';
import { refreshUse } from '../refresh-reuse';
import { narrowScope, parseScope, scopeList } from '../scope';
import type { Grant, GrantType, ReplayRevokingGrantDeps } from './types';

/** The tables a refresh reads and writes in its transaction (and those a replay revokes the family in). */
export interface RefreshTables {
  refreshTokens: Pick<RefreshTokenRepository, 'find' | 'rotate' | 'insert' | 'revokeFamily'>;
  accessTokens: Pick<AccessTokenRepository, 'insert' | 'revokeFamily'>;
  users: Pick<UserRepository, 'findById'>;
}

export interface RefreshTokenGrantDeps extends ReplayRevokingGrantDeps<RefreshTables> {
  /** oauth2.refreshReuseGraceSeconds: how long a rotated token still gets a sibling pair (0: never). */
  refreshReuseGraceSeconds?: number;
  logger: Pick<Logger, 'warn' | 'info'>;
}

export const REFRESH_TOKEN: GrantType = { grantType: 'refresh_token', registeredAs: 'refresh_token', metricName: 'refresh_token' };

type Outcome = { kind: 'issued'; issued: IssuedTokens; sibling: boolean } | { kind: 'invalid' } | { kind: 'replay'; familyId: string };

const invalidGrant = () => new OAuth2Error('invalid_grant', 'The refresh token is invalid, expired or revoked.');

/**
 * RFC 6749 section 6 with rotation (RFC 9700 section 4.14.2): every use retires the presented token
 * and issues a new one in the same family. Presenting a retired token again is a replay: somebody
 * else holds a copy, so the whole family, access tokens included, is revoked. Except within the
 * grace period (refresh-reuse.ts): the same client presenting a token it rotated moments ago gets a
 * sibling pair in the same family, so two requests racing with one token (on one node or on two)
 * both succeed and neither kills the other's tokens. The decision reads the row in the database, so
 * it holds across nodes; a rotation lost to a concurrent one reads the row again and decides anew.
 */
export function refreshTokenGrant(deps: RefreshTokenGrantDeps): Grant {
  const graceMs = (deps.refreshReuseGraceSeconds ?? 0) * 1000;
  return {
    ...REFRESH_TOKEN,
    async handle({ client, params, admit, issuer }) {
      if (!issuesRefreshTokens(client)) {
        throw new OAuth2Error('unauthorized_client', 'This client may not use refresh tokens.');
      }
      const digest = tokenDigest(params.require('refresh_token'));
      const requested = parseScope(params.get('scope'));
      const now = deps.clock();

      // Everything is read inside the transaction: on SQLite a read outside it could see another
      // request's uncommitted rotation, and on PostgreSQL the rotate below waits for a competing one.
      const outcome = await deps.store.transaction(async (tx): Promise<Outcome> => {
        const row = await tx.refreshTokens.find(digest);
        let use = refreshUse(row, client.clientId, now, graceMs);
        if (!row || use === 'invalid') return { kind: 'invalid' };
        if (use === 'replay') return { kind: 'replay', familyId: row.familyId };
        const original = scopeList(row.scope);
        const scope = narrowScope(requested, original);
        const user = row.userId === null ? null : await tx.users.findById(row.userId);
        if (row.userId !== null && (!user || !user.enabled)) return { kind: 'invalid' };
        await admit?.({ client, user });
        if (use === 'rotate' && !(await tx.refreshTokens.rotate(digest, now))) {
          // Lost the race to a concurrent use, now committed (PostgreSQL's UPDATE waited for it):
          // what the row says now decides between a sibling and a replay.
          use = refreshUse(await tx.refreshTokens.find(digest), client.clientId, now, graceMs);
          if (use === 'invalid') return { kind: 'invalid' };
          if (use !== 'sibling') return { kind: 'replay', familyId: row.familyId };
        }
        const issued = await deps.issuer.issueIn(
          tx,
          { client, userId: row.userId, scope, grantType: 'refresh_token', refresh: true, familyId: row.familyId, refreshScope: original, issuer },
          now,
        );
        return { kind: 'issued', issued, sibling: use === 'sibling' };
      });

      if (outcome.kind === 'issued') {
        if (outcome.sibling) deps.logger.info({ clientId: client.clientId }, 'refresh token reused within the grace period: issued a sibling pair');
        return outcome.issued;
      }
      if (outcome.kind === 'replay') {
        await revokeFamily(deps, outcome.familyId);
        deps.logger.warn({ clientId: client.clientId, family: outcome.familyId }, 'refresh token reused: revoked its whole family');
      }
      throw invalidGrant();
    },
  };
}
