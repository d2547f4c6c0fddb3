import type { Cache } from '../cache/types';
import type { SessionUser } from '../pages/session';

// "Sign out of my other sessions". Browser sessions live in the cache under digests of their ids.
// The per-user index (pages/session-index.ts) is bounded and may leave sessions out, so it can't
// reach them all; the user's sessions are ended the other way round: a floor per user, "every
// sign-in of this user made up to <at> is over, except <keep>", which loadSession checks. The floor outlives every
// session it can end (sessions last sessionMaxSeconds at most), then removes itself.

interface SessionFloor {
  at: number;
  /** The signInId of the session that asked: it stays signed in. */
  keep: string;
}

// pages/session.ts sessionMaxSeconds (not imported: session.ts imports this module).
const floorSeconds = 24 * 60 * 60;
const floorKey = (userId: string) => `session-floor:${userId}`;

/** Ends every other browser session of the user, on every node (they share the cache). */
export async function endOtherSessions(cache: Pick<Cache, 'set'>, user: SessionUser, now: number): Promise<void> {
  const floor: SessionFloor = { at: now, keep: user.signInId };
  await cache.set(floorKey(user.id), JSON.stringify(floor), floorSeconds);
}

/** True when the session (created at createdAt) was ended by a "sign out of other sessions". */
export async function endedElsewhere(cache: Pick<Cache, 'get'>, user: SessionUser, createdAt: number): Promise<boolean> {
  const text = await cache.get(floorKey(user.id));
  if (!text) return false;
  try {
    const floor = JSON.parse(text) as SessionFloor;
    return typeof floor.at === 'number' && createdAt <= floor.at && floor.keep !== user.signInId;
  } catch {
    return false;
  }
}
