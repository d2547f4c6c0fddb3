import { privilegesOf } from '../accounts/authenticate';
import { tokenDigest } from '../crypto';
import type { GatewayDeps } from '../deps';
import type { Identity } from '../identity';
import { scopeList } from './scope';

export type TokenRejection = 'unknown' | 'revoked' | 'expired' | 'client_disabled' | 'user_disabled';

/** An active access token's answer; the verified-token cache keeps it as it is. */
export interface ActiveToken {
  readonly ok: true;
  readonly identity: Identity;
}

export type TokenCheck = ActiveToken | { ok: false; reason: TokenRejection };

/** Looks the token up in the database and checks everything that makes it active. */
async function lookUp(deps: GatewayDeps, digest: string, now: number): Promise<TokenCheck> {
  const { store } = deps;
  const row = await store.accessTokens.find(digest);
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  const client = await store.clients.findById(row.clientId);
  if (!client || !client.enabled) return { ok: false, reason: 'client_disabled' };
  let username: string | null = null;
  let profileId = client.profileId;
  if (row.userId !== null) {
    const user = await store.users.findById(row.userId);
    if (!user || !user.enabled) return { ok: false, reason: 'user_disabled' };
    username = user.username;
    profileId = user.profileId;
  }
  return {
    ok: true,
    identity: {
      protocol: 'oauth2',
      userId: row.userId,
      username,
      clientId: row.clientId,
      scopes: scopeList(row.scope),
      privileges: await privilegesOf(store, profileId),
      expiresAt: row.expiresAt,
    },
  };
}

/**
 * Verifies an access token value. A hit in the in-process cache (deps.verifiedTokens.oauth2, see
 * revocation/verified-credentials.ts) touches no database; a miss reads the database and caches an
 * active answer unless a revocation may have raced the lookup.
 */
export async function checkAccessToken(deps: GatewayDeps, token: string): Promise<TokenCheck> {
  const tokens = deps.verifiedTokens.oauth2;
  const digest = tokenDigest(token);
  const cached = tokens.get(digest);
  if (cached) return cached;
  const lookup = tokens.lookup();
  const check = await lookUp(deps, digest, deps.clock());
  if (check.ok) tokens.remember(digest, check, lookup);
  return check;
}
