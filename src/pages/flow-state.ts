import { randomToken } from '../crypto';
import type { BrowserSession } from './session';

/**
 * Typed flow state kept in a signed-in user's browser session under a continuation id, so two tabs
 * can run two authorizations at once. Only for signed-in sessions (stash throws otherwise): what a
 * flow needs before sign-in travels in a ticket (ticket.ts). A continuation id is not a credential:
 * it only works with the session's cookie, and the forms that carry it are CSRF-checked.
 */
export interface FlowState<T> {
  /** Stores the data and returns its continuation id. */
  stash(session: BrowserSession, data: T): Promise<string>;
  /** The data, or null when the id is unknown, malformed or expired. */
  peek(session: BrowserSession, id: string | null | undefined): T | null;
  drop(session: BrowserSession, id: string | null | undefined): Promise<void>;
}

interface Entry<T> {
  at: number;
  data: T;
}

const idShape = /^[A-Za-z0-9_-]{22}$/;

export function flowState<T>(kind: string, options: { ttlSeconds?: number; maxEntries?: number } = {}): FlowState<T> {
  const ttlMs = (options.ttlSeconds ?? 30 * 60) * 1000;
  // Bounded, so a script reloading an authorize URL can't grow one session without limit.
  const maxEntries = options.maxEntries ?? 8;
  const prefix = `flow:${kind}:`;
  const key = (id: string) => prefix + id;
  const live = (session: BrowserSession, id: string | null | undefined): Entry<T> | null => {
    if (!id || !idShape.test(id)) return null;
    const entry = session.get<Entry<T>>(key(id));
    return entry && session.now() - entry.at < ttlMs ? entry : null;
  };

  return {
    async stash(session, data) {
      const mine = session
        .keys()
        .filter((k) => k.startsWith(prefix))
        .map((k) => ({ k, at: session.get<Entry<T>>(k)?.at ?? 0 }))
        .sort((a, b) => a.at - b.at);
      const now = session.now();
      for (const [i, { k, at }] of mine.entries()) {
        if (now - at >= ttlMs || mine.length - i >= maxEntries) await session.unset(k);
      }
      const id = randomToken(16);
      await session.set(key(id), { at: now, data } satisfies Entry<T>);
      return id;
    },
    peek(session, id) {
      return live(session, id)?.data ?? null;
    },
    async drop(session, id) {
      if (id && idShape.test(id)) await session.unset(key(id));
    },
  };
}
