import { signInHolds } from '../accounts/sign-in';
import { endedElsewhere } from '../account/other-sessions';
import { freeSlot, indexedSessions } from './session-index';
import { keyOfDigest, parseRecord, sessionMaxSeconds, type SessionDeps } from './session';

// A user's browser sessions as the operators' console sees them: listed from the per-user index
// (session-index.ts) and ended one at a time, on every node, as they share the cache.

/** One of a user's live browser sessions, as the console lists it. */
export interface LiveSession {
  /** The first characters of its digest: what the console's "end" form names. */
  ref: string;
  digest: string;
  createdAt: number;
  /** Last use, to within the 5 minutes between two slides of the idle expiry. */
  touchedAt: number;
}

const refOf = (digest: string) => digest.slice(0, 16);

/**
 * The user's live sessions, from the index: a slot whose session is gone, or would be ended at its
 * next page load (too old, the password changed, "sign out of other sessions"), is freed instead.
 */
export async function liveSessionsOf(deps: SessionDeps, userId: string): Promise<LiveSession[]> {
  const now = deps.clock();
  const live: LiveSession[] = [];
  for (const { slot, digest } of await indexedSessions(deps.cache, userId)) {
    const record = parseRecord(await deps.cache.get(keyOfDigest(digest)));
    const holds =
      record !== null &&
      record.user.id === userId &&
      now - record.createdAt < sessionMaxSeconds * 1000 &&
      (await signInHolds(deps.store.users, record.user)) &&
      !(await endedElsewhere(deps.cache, record.user, record.createdAt));
    if (holds) live.push({ ref: refOf(digest), digest, createdAt: record.createdAt, touchedAt: record.touchedAt });
    else await freeSlot(deps.cache, userId, slot, digest);
  }
  return live.sort((a, b) => b.createdAt - a.createdAt);
}

/** Ends one of the user's sessions (named by its ref) on every node: its record goes from the shared cache. */
export async function endIndexedSession(deps: SessionDeps, userId: string, ref: string): Promise<boolean> {
  const target = (await indexedSessions(deps.cache, userId)).find((s) => refOf(s.digest) === ref);
  if (!target) return false;
  const ended = await deps.cache.delete(keyOfDigest(target.digest));
  await freeSlot(deps.cache, userId, target.slot, target.digest);
  return ended;
}
