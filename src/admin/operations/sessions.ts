import { z } from 'zod';
import type { Store, UserRow } from '../../storage/types';
import { endIndexedSession, liveSessionsOf, MAX_INDEXED_SESSIONS } from '../../pages';
import type { Operation } from '../operation';
import { notFound } from '../problems';

// A user's browser sessions, from the per-user index in the shared cache (pages/session-index.ts):
// the same list and the same "end" as the console's grants page, so an operator can sign a lost
// laptop out without a browser. Ending one removes its record from the shared cache: every node
// refuses it at its next page load.

const byUsername = z.object({ username: z.string().min(1).max(255) });

const sessionSchema = z
  .object({
    id: z.string().meta({ description: 'The first 16 characters of the session\'s digest (never the cookie): DELETE /users/{username}/sessions/{id} ends it.' }),
    created_at: z.string(),
    last_active_at: z.string().meta({ description: 'Exact to about five minutes (the idle expiry slides at most that often).' }),
  })
  .meta({ title: 'BrowserSession' });

async function findUser(store: Store, username: string): Promise<UserRow> {
  const user = await store.users.findByUsername(username);
  if (!user) throw notFound('user');
  return user;
}

export const sessionOperations: Operation[] = [
  {
    id: 'listUserSessions',
    method: 'GET',
    path: '/users/{username}/sessions',
    tag: 'sessions',
    summary: `The user's live browser sessions, newest first (at most ${MAX_INDEXED_SESSIONS} are kept a user; \`complete\` false when more may be open)`,
    access: 'read',
    params: byUsername,
    response: z.object({ items: z.array(sessionSchema), complete: z.boolean() }),
    async handle({ deps, params }) {
      const user = await findUser(deps.store, params.username);
      const sessions = await liveSessionsOf(deps, user.id);
      const items = sessions.map((s) => ({ id: s.ref, created_at: new Date(s.createdAt).toISOString(), last_active_at: new Date(s.touchedAt).toISOString() }));
      return { body: { items, complete: sessions.length < MAX_INDEXED_SESSIONS } };
    },
  },
  {
    id: 'endUserSession',
    method: 'DELETE',
    path: '/users/{username}/sessions/{session_id}',
    tag: 'sessions',
    summary: 'End one browser session of the user on every node (the user signs in again there)',
    access: 'write',
    params: byUsername.extend({ session_id: z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'not a session id').meta({ description: 'The id from GET /users/{username}/sessions.' }) }),
    status: 204,
    audit: 'session',
    async handle({ deps, params }) {
      const user = await findUser(deps.store, params.username);
      // Already ended (signed out, expired, ended by someone else): nothing by that id any more.
      if (!(await endIndexedSession(deps, user.id, params.session_id))) throw notFound('session');
      return {};
    },
  },
];
