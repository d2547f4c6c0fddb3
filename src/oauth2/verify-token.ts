import { privilegesOf } from '../accounts/authenticate';
import { tokenDigest } from '../crypto';
import type { GatewayDeps } from '../deps';
import type { Identity } from '../identity';
import { startRevocationListener, verificationState } from './revocation';
import { scopeList } from './scope';

// A cached verification is trusted for at most this long: the bound on how late a revocation is
// noticed when neither pub/sub nor the revocation log reaches this node.
const CACHE_SECONDS = 60;

export type TokenRejection = 'unknown' | 'revoked' | 'expired' | 'client_disabled' | 'user_disabled';

export type TokenCheck = { ok: true; identity: Identity } | { ok: false; reason: TokenRejection };

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
 * Verifies an access token value. A hit in the in-process cache touches no database, unless the
 * revocation log says its user or client was revoked since it was cached; a miss reads the database
 * and caches the answer until the token expires or a minute passes, whichever is first, but only
 * while revocations from other nodes are heard and none arrived during the lookup.
 */
export async function checkAccessToken(deps: GatewayDeps, token: string): Promise<TokenCheck> {
  const state = verificationState(deps);
  const digest = tokenDigest(token);
  const cached = state.tokens.get(digest, deps.clock());
  if (cached && !deps.revocations.revokedAfter(cached.identity, cached.seen)) return { ok: true, identity: cached.identity };
  if (cached) state.tokens.delete(digest);

  const listening = state.listening || (await startRevocationListener(deps));
  const epoch = state.epoch;
  const seen = deps.revocations.seen;
  const now = deps.clock();
  const check = await lookUp(deps, digest, now);
  if (check.ok && listening && state.epoch === epoch && !deps.revocations.revokedAfter(check.identity, seen)) {
    state.tokens.set(digest, { identity: check.identity, seen }, Math.min(check.identity.expiresAt, now + CACHE_SECONDS * 1000));
  }
  return check;
}
