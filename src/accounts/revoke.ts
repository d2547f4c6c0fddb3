import type { Cache } from '../cache/types';
import { REVOCATION_CHANNEL, logGrewMessage } from '../revocation/channel';
import type { RevokedSubject } from '../revocation/subjects';
import type { Repositories, Store } from '../storage/types';
import type { Clock } from '../clock';

export type RevocationReason = 'disabled' | 'password_changed' | 'revoked' | 'deleted' | 'secret_rotated';

/**
 * Takes back everything a user, client or consumer was given (tokens, refresh families, OAuth 1.0a
 * sessions, unused codes, consents, browser sign-ins) and appends the revocation log entry that
 * tells every running node, whose in-memory caches the database alone cannot reach. Call it in the
 * transaction that changes the account, so the change, the revocations and the entry commit
 * together. Returns the entry's sequence number.
 */
async function revokeEverything(tx: Repositories, subject: RevokedSubject, reason: RevocationReason, now: number): Promise<number> {
  if (subject.kind === 'user') await tx.grants.revokeUser(subject.id, now);
  else if (subject.kind === 'client') await tx.grants.revokeClient(subject.id, now);
  else if (subject.kind === 'consumer') await tx.grants.revokeConsumer(subject.id, now);
  else throw new Error(`${subject.kind} revocations are made by accounts/user-grants.ts`);
  // Last, so the table lock that orders appends is held for as short a time as possible.
  return tx.revocationLog.append({ kind: subject.kind, subject: subject.id, reason, at: now });
}

/**
 * Wakes the nodes after the commit (Redis pub/sub), so they read the log at once. Best effort: they
 * read it every second anyway, so a failed publish only costs that second.
 */
export async function wakeNodes(cache: Pick<Cache, 'publish'> | undefined, seq: number): Promise<void> {
  try {
    await cache?.publish(REVOCATION_CHANNEL, logGrewMessage(seq));
  } catch {
    // The database holds the revocation; the next read finds it.
  }
}

/**
 * One account change with its consequences: `change` alters the account inside the transaction and
 * names whose grants end; they are revoked and logged in the same commit, then the nodes are woken.
 */
export async function changeAndRevoke(
  ctx: { store: Store; cache?: Pick<Cache, 'publish'>; clock: Clock },
  reason: RevocationReason,
  change: (tx: Repositories) => Promise<RevokedSubject>,
): Promise<void> {
  const now = ctx.clock();
  const seq = await ctx.store.transaction(async (tx) => revokeEverything(tx, await change(tx), reason, now));
  await wakeNodes(ctx.cache, seq);
}
