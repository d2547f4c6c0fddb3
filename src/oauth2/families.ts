import type { Clock } from '../clock';
import type { Revocations } from '../revocation';
import type { AccessTokenRepository, RefreshTokenRepository } from '../storage/types';

/** The refresh and access token tables, in one transaction: what revoking a family writes. */
export interface FamilyTables {
  refreshTokens: Pick<RefreshTokenRepository, 'revokeFamily'>;
  accessTokens: Pick<AccessTokenRepository, 'revokeFamily'>;
}

/** What revoking a family needs: the token tables, the channel that tells every node, the clock. */
export interface FamilyRevocation {
  store: { transaction<T>(fn: (tx: FamilyTables) => Promise<T>): Promise<T> };
  revocations: Pick<Revocations, 'tokensRevoked'>;
  clock: Clock;
}

/**
 * Revokes a refresh-token family: every refresh token and every access token descending from one
 * grant (a replayed refresh token means one of them leaked). The revoked access tokens stop working
 * at once here and on every other node.
 */
export async function revokeFamily(deps: FamilyRevocation, familyId: string): Promise<void> {
  const now = deps.clock();
  const digests = await deps.store.transaction(async (tx) => {
    await tx.refreshTokens.revokeFamily(familyId, now);
    return tx.accessTokens.revokeFamily(familyId, now);
  });
  await deps.revocations.tokensRevoked(digests);
}
