import { z } from 'zod';
import { grantId } from '../../accounts/grant-ids';
import type { Store } from '../../storage/types';
import type { Operation } from '../operation';
import { notFound } from '../problems';

const partyGrantSchema = z
  .object({
    id: z.string().meta({ description: "The grant's id: DELETE /users/{username}/grants/{id} ends it." }),
    kind: z.enum(['oauth1_session', 'token_family', 'access_token']),
    username: z.string().nullable().meta({ description: "Null for a client's own (client_credentials) token." }),
    scope: z.array(z.string()),
    created_at: z.string(),
    expires_at: z.string(),
  })
  .meta({ title: 'PartyGrant' });

const query = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'At most this many grants, oldest first.' }) });

async function listed(store: Store, party: { clientId: string } | { consumerKey: string }, now: number, limit: number) {
  const rows = await store.userGrants.listParty(party, now, limit);
  const names = new Map<string, string | null>();
  for (const id of new Set(rows.map((r) => r.userId).filter((id): id is string => id !== null))) names.set(id, (await store.users.findById(id))?.username ?? null);
  return rows.map((r) => ({
    id: grantId(r.kind, r.key),
    kind: r.kind,
    username: r.userId === null ? null : (names.get(r.userId) ?? null),
    scope: r.scope.split(' ').filter(Boolean),
    created_at: new Date(r.createdAt).toISOString(),
    expires_at: new Date(r.expiresAt).toISOString(),
  }));
}

/** The live grants of one client or consumer, across its users (end one with DELETE /users/{username}/grants/{id}). */
export const partyGrantOperations: Operation[] = [
  {
    id: 'listClientGrants',
    method: 'GET',
    path: '/clients/{client_id}/grants',
    tag: 'grants',
    summary: "The client's live token families and tokens, across users",
    access: 'read',
    params: z.object({ client_id: z.string().min(1).max(64) }),
    query,
    response: z.object({ items: z.array(partyGrantSchema) }),
    async handle({ deps, params, query: q }) {
      if (!(await deps.store.clients.findById(params.client_id))) throw notFound('client');
      return { body: { items: await listed(deps.store, { clientId: params.client_id }, deps.clock(), q.limit) } };
    },
  },
  {
    id: 'listConsumerGrants',
    method: 'GET',
    path: '/consumers/{key}/grants',
    tag: 'grants',
    summary: "The consumer's live OAuth 1.0a sessions, across users",
    access: 'read',
    params: z.object({ key: z.string().min(1).max(64) }),
    query,
    response: z.object({ items: z.array(partyGrantSchema) }),
    async handle({ deps, params, query: q }) {
      if (!(await deps.store.consumers.findByKey(params.key))) throw notFound('consumer');
      return { body: { items: await listed(deps.store, { consumerKey: params.key }, deps.clock(), q.limit) } };
    },
  },
];
