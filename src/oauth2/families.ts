import type { GatewayDeps } from '../deps';

/**
 * Revokes a refresh-token family: every refresh token and every access token descending from one
 * grant (a replayed refresh token means one of them leaked). The revoked access tokens stop working
 * at once here and on every other node.
 */
export async function revokeFamily(deps: GatewayDeps, familyId: string): Promise<void> {
  const now = deps.clock();
  const digests = await deps.store.transaction(async (tx) => {
    await tx.refreshTokens.revokeFamily(familyId, now);
    return tx.accessTokens.revokeFamily(familyId, now);
  });
  await deps.revocations.tokensRevoked(digests);
}
