import type { Cache } from '../cache/types';

// A per-user index of browser sessions, so the operators' console can list a user's sessions and
// end one. Sessions stay keyed by the digest of their id (session.ts); the index holds, per user, a
// fixed number of slots `session-index:<userId>:<n>`, each naming one session's digest.
//
// - A slot is claimed with setIfAbsent, atomic in Redis and in memory alike, so two sign-ins of one
//   user on two nodes never take the same slot and neither entry is lost.
// - Bounded: at most MAX_INDEXED_SESSIONS slots a user. A sign-in that finds every slot held by a
//   live session is not indexed (the console says that more may exist); nothing else is refused.
// - Expiring with the sessions: a slot lives sessionMaxSeconds from the sign-in, which no session
//   outlives. A session that ends earlier frees its slot (sign-out, a new sign-in), and a slot whose
//   session has gone another way (idle expiry, eviction) is taken back when it is next looked at.
// - Only a sign-in writes a slot: an anonymous request creates nothing here.

export const MAX_INDEXED_SESSIONS = 10;

const slotKey = (userId: string, slot: number) => `session-index:${userId}:${slot}`;

export interface IndexedSession {
  slot: number;
  /** The session's cache key digest (never its id: the index can't be replayed as a cookie). */
  digest: string;
}

function digestOf(text: string | null): string | null {
  return text !== null && /^[A-Za-z0-9_-]{16,128}$/.test(text) ? text : null;
}

/**
 * Claims a slot for the session; the slot number, or null when every slot is held. `isLive` says
 * whether the session a slot names still exists: a full index first takes back its dead slots.
 */
export async function indexSession(
  cache: Pick<Cache, 'setIfAbsent' | 'get' | 'delete'>,
  userId: string,
  digest: string,
  ttlSeconds: number,
  isLive: (digest: string) => Promise<boolean>,
): Promise<number | null> {
  for (let pass = 0; pass < 2; pass++) {
    for (let slot = 0; slot < MAX_INDEXED_SESSIONS; slot++) {
      if (await cache.setIfAbsent(slotKey(userId, slot), digest, ttlSeconds)) return slot;
    }
    if (pass === 0 && (await sweepIndex(cache, userId, isLive)) === 0) return null;
  }
  return null;
}

/** Frees the slots whose session is gone; how many were freed. */
async function sweepIndex(cache: Pick<Cache, 'get' | 'delete'>, userId: string, isLive: (digest: string) => Promise<boolean>): Promise<number> {
  let freed = 0;
  for (let slot = 0; slot < MAX_INDEXED_SESSIONS; slot++) {
    const digest = digestOf(await cache.get(slotKey(userId, slot)));
    if (digest === null || (await isLive(digest))) continue;
    if (await freeSlot(cache, userId, slot, digest)) freed += 1;
  }
  return freed;
}

/** The user's indexed sessions, slot order (the caller checks each one is live). */
export async function indexedSessions(cache: Pick<Cache, 'get'>, userId: string): Promise<IndexedSession[]> {
  const found: IndexedSession[] = [];
  for (let slot = 0; slot < MAX_INDEXED_SESSIONS; slot++) {
    const digest = digestOf(await cache.get(slotKey(userId, slot)));
    if (digest !== null) found.push({ slot, digest });
  }
  return found;
}

/**
 * Frees a slot if it still names this session (a slot freed and claimed again by a newer sign-in
 * meanwhile is left alone). Not atomic across the read and the delete: the worst case is a newer
 * session left out of the list, never a session ended.
 */
export async function freeSlot(cache: Pick<Cache, 'get' | 'delete'>, userId: string, slot: number, digest: string): Promise<boolean> {
  if ((await cache.get(slotKey(userId, slot))) !== digest) return false;
  return cache.delete(slotKey(userId, slot));
}
