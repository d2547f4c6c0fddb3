import { tokenDigest } from '../crypto';
import type { GatewayDeps } from '../deps';
import type { ClientRow } from '../storage/types';
import { revokeFamily } from './families';

/**
 * Revokes a token of the calling client (RFC 7009 section 2.1). A refresh token takes its whole
 * family with it, access tokens included; an access token goes alone. Tokens of other clients and
 * unknown tokens are left alone without a word. An unknown token_type_hint is only a hint: ignored.
 */
export async function revokeToken(deps: GatewayDeps, caller: ClientRow, token: string, hint: string | undefined): Promise<void> {
  const digest = tokenDigest(token);
  const order = hint === 'refresh_token' ? (['refresh', 'access'] as const) : (['access', 'refresh'] as const);
  for (const kind of order) {
    if (kind === 'access') {
      const row = await deps.store.accessTokens.find(digest);
      if (!row) continue;
      if (row.clientId !== caller.clientId) return;
      await deps.store.accessTokens.revoke(digest, deps.clock());
      await deps.revocations.tokensRevoked([digest]);
      return;
    }
    const row = await deps.store.refreshTokens.find(digest);
    if (!row) continue;
    if (row.clientId !== caller.clientId) return;
    await revokeFamily(deps, row.familyId);
    return;
  }
}
