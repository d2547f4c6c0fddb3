import { tokenDigest } from '../crypto';
import type { ClientRow, Store } from '../storage/types';
import { scopeList, formatScope } from './scope';

/** RFC 7662 section 2.2 response. */
export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, string | number | boolean>);

const inactive: IntrospectionResponse = { active: false };

/** Which table to try first: the hint when it names one we know, else access tokens (the common case). */
function lookupOrder(hint: string | undefined): Array<'access_token' | 'refresh_token'> {
  return hint === 'refresh_token' ? ['refresh_token', 'access_token'] : ['access_token', 'refresh_token'];
}

async function owner(store: Store, userId: string | null): Promise<{ ok: boolean; username?: string }> {
  if (userId === null) return { ok: true };
  const user = await store.users.findById(userId);
  return user && user.enabled ? { ok: true, username: user.username } : { ok: false };
}

/**
 * Introspects a token for the calling client. A token that is unknown, expired, revoked, rotated,
 * whose user or client is disabled, or that belongs to another client is simply inactive: the
 * answer never says which (RFC 7662 section 2.2).
 */
export async function introspect(store: Store, caller: ClientRow, token: string, hint: string | undefined, now: number): Promise<IntrospectionResponse> {
  const digest = tokenDigest(token);
  for (const kind of lookupOrder(hint)) {
    const row = kind === 'access_token' ? await store.accessTokens.find(digest) : await store.refreshTokens.find(digest);
    if (!row) continue;
    if (row.clientId !== caller.clientId || row.revokedAt !== null || row.expiresAt <= now) return inactive;
    if ('rotatedAt' in row && row.rotatedAt !== null) return inactive;
    const user = await owner(store, row.userId);
    if (!user.ok) return inactive;
    const body: Record<string, string | number | boolean> = {
      active: true,
      client_id: row.clientId,
      sub: row.userId ?? row.clientId,
      scope: formatScope(scopeList(row.scope)),
      exp: Math.floor(row.expiresAt / 1000),
      iat: Math.floor(row.createdAt / 1000),
    };
    if (user.username !== undefined) body.username = user.username;
    // RFC 7662 token_type is an RFC 6749 section 7.1 access token type; refresh tokens have none.
    if (kind === 'access_token') body.token_type = 'Bearer';
    return body as IntrospectionResponse;
  }
  return inactive;
}
