import { pairSubject, type RevokedKind } from '../revocation/subjects';
import type { Store, UserGrantRows, UserRow } from '../storage/types';
import type { AdminContext } from './admin';
import { UnknownAccountError } from './delete';
import { grantId, oneGrant } from './grant-ids';
import { wakeNodes } from './revoke';
import { InvalidInputError } from './validation';

// One registry of a user's grants across protocols (`user grants`, `user revoke`): OAuth 1.0a
// sessions, OAuth 2.0 token families and single tokens, remembered consents, approved device codes.

/** One live grant, named the same way whatever protocol gave it. */
export interface UserGrant {
  /** Names this grant for revoking it alone (grant-ids.ts). */
  id: string;
  protocol: 'oauth1' | 'oauth2';
  kind: 'oauth1_session' | 'token_family' | 'access_token' | 'consent' | 'device_grant';
  /** The OAuth 2.0 client_id or the OAuth 1.0a consumer key. */
  party: string;
  scope: string[];
  createdAt: number;
  /** Null for a consent (it lasts until revoked). */
  expiresAt: number | null;
}

const split = (scope: string): string[] => scope.split(' ').filter((s) => s !== '');

/** The rows flattened into one list, oldest first. */
export function userGrantList(rows: UserGrantRows): UserGrant[] {
  return keyedGrants(rows).map(({ grant }) => grant);
}

/** Each grant with the key of its row (what grant-ids.ts derives the id from), oldest first. */
function keyedGrants(rows: UserGrantRows): Array<{ grant: UserGrant; key: string }> {
  const keyed = (key: string, grant: Omit<UserGrant, 'id'>) => ({ key, grant: { id: grantId(grant.kind, key), ...grant } });
  const grants = [
    ...rows.oauth1Sessions.map((s) => keyed(s.handleDigest, { protocol: 'oauth1', kind: 'oauth1_session', party: s.consumerKey, scope: [], createdAt: s.createdAt, expiresAt: s.expiresAt })),
    ...rows.tokenFamilies.map((f) => keyed(f.familyId, { protocol: 'oauth2', kind: 'token_family', party: f.clientId, scope: split(f.scope), createdAt: f.createdAt, expiresAt: f.expiresAt })),
    ...rows.singleAccessTokens.map((t) => keyed(t.digest, { protocol: 'oauth2', kind: 'access_token', party: t.clientId, scope: split(t.scope), createdAt: t.createdAt, expiresAt: t.expiresAt })),
    ...rows.consents.map((c) => keyed(c.clientId, { protocol: 'oauth2', kind: 'consent', party: c.clientId, scope: [...c.scopes], createdAt: c.updatedAt, expiresAt: null })),
    ...rows.deviceGrants.map((d) => keyed(d.digest, { protocol: 'oauth2', kind: 'device_grant', party: d.clientId, scope: split(d.scope), createdAt: d.createdAt, expiresAt: d.expiresAt })),
  ];
  return grants.sort((a, b) => a.grant.createdAt - b.grant.createdAt);
}

async function findUser(store: Pick<Store, 'users'>, username: string): Promise<UserRow> {
  const user = await store.users.findByUsername(username);
  if (!user) throw new InvalidInputError(`unknown user "${username}"`);
  return user;
}

export async function listUserGrants(ctx: Pick<AdminContext, 'store' | 'clock'>, username: string): Promise<{ user: UserRow; grants: UserGrant[] }> {
  const user = await findUser(ctx.store, username);
  return { user, grants: userGrantList(await ctx.store.userGrants.listUser(user.id, ctx.clock())) };
}

export interface RevokeScope {
  /** Only what the user gave this OAuth 2.0 client. */
  client?: string;
  /** Only what the user gave this OAuth 1.0a consumer. */
  consumer?: string;
}

/** Which revocation: the whole user, or one client or consumer of the user (checked to exist, so a typo is not a silent no-op). */
async function revocationOf(store: Store, user: UserRow, scope: RevokeScope): Promise<{ kind: RevokedKind; subject: string }> {
  if (scope.client !== undefined && scope.consumer !== undefined) throw new InvalidInputError('give --client or --consumer, not both');
  if (scope.client !== undefined) {
    if (!(await store.clients.findById(scope.client))) throw new InvalidInputError(`unknown client "${scope.client}"`);
    return { kind: 'user-client', subject: pairSubject(user.id, scope.client) };
  }
  if (scope.consumer !== undefined) {
    if (!(await store.consumers.findByKey(scope.consumer))) throw new InvalidInputError(`unknown consumer "${scope.consumer}"`);
    return { kind: 'user-consumer', subject: pairSubject(user.id, scope.consumer) };
  }
  return { kind: 'user', subject: user.id };
}

/**
 * Ends the user's grants (all of them, or those of one client or consumer) in the database and
 * appends the revocation log entry in the same commit; then wakes the running nodes, whose caches of
 * verified credentials drop every credential the entry names. Revoking everything also ends the
 * user's browser sign-ins (as `user disable` does, without disabling). Returns how many rows changed.
 */
export async function revokeUserGrants(ctx: AdminContext, username: string, scope: RevokeScope = {}): Promise<number> {
  const user = await findUser(ctx.store, username);
  const { kind, subject } = await revocationOf(ctx.store, user, scope);
  const now = ctx.clock();
  const { changed, seq } = await ctx.store.transaction(async (tx) => {
    const changed =
      kind === 'user-client'
        ? await tx.userGrants.revokeUserClient(user.id, scope.client as string, now)
        : kind === 'user-consumer'
          ? await tx.userGrants.revokeUserConsumer(user.id, scope.consumer as string, now)
          : await tx.grants.revokeUser(user.id, now);
    return { changed, seq: await tx.revocationLog.append({ kind, subject, reason: 'revoked', at: now }) };
  });
  await wakeNodes(ctx.cache, seq);
  return changed;
}

/**
 * Ends one grant of the user, found by its id among the user's live grants: a refresh family (its
 * refresh and access tokens), a single access token, an OAuth 1.0a session (its handle and access
 * tokens), an approved device code, a remembered consent. In the same commit, one revocation log
 * entry per access token it ended that had not expired (kind `token`, by digest), so every node
 * drops it from memory; then the nodes are woken. The user's other grants stay. Returns the grant
 * and those digests (the caller's own node can forget them at once).
 */
export async function revokeOneUserGrant(ctx: AdminContext, username: string, id: string): Promise<{ grant: UserGrant; changed: number; digests: string[] }> {
  const user = await findUser(ctx.store, username);
  const now = ctx.clock();
  const found = keyedGrants(await ctx.store.userGrants.listUser(user.id, now)).find(({ grant }) => grant.id === id);
  if (!found) throw new UnknownAccountError(`unknown grant "${id}" of user "${user.username}"`);
  const { changed, digests, seq } = await ctx.store.transaction(async (tx) => {
    const revoked = await tx.userGrants.revokeUserGrant(user.id, oneGrant(found.grant.kind, found.key), now);
    let last = 0;
    for (const digest of revoked.digests) last = await tx.revocationLog.append({ kind: 'token', subject: digest, reason: 'revoked', at: now });
    return { ...revoked, seq: last };
  });
  if (seq > 0) await wakeNodes(ctx.cache, seq);
  return { grant: found.grant, changed, digests };
}
