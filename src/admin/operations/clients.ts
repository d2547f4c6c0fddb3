import { z } from 'zod';
import { addClient, disableClient } from '../../accounts/admin';
import { deleteClient } from '../../accounts/delete';
import { enableClient } from '../../accounts/enable';
import { MAX_GRACE_SECONDS, rotateClientSecret } from '../../accounts/rotate-secret';
import { parseRedirectUri, parseScopes } from '../../accounts/validation';
import type { ClientChanges, ClientRow, Store } from '../../storage/types';
import { etagOf, ifMatchAdmits } from '../etag';
import { asProblems } from '../input-errors';
import type { Operation } from '../operation';
import { pageOf, pageQuery, paginate } from '../pagination';
import { invalidInput, notFound, preconditionFailed } from '../problems';
import { clientSchema, clientView, profileNames } from '../views';

const byId = z.object({ client_id: z.string().min(1).max(64) });
const ttl = z.number().int().positive();

async function findClient(store: Store, clientId: string): Promise<ClientRow> {
  const client = await store.clients.findById(clientId);
  if (!client) throw notFound('client');
  return client;
}

async function profileIdOf(store: Store, name: string | null): Promise<string | null> {
  if (name === null) return null;
  const profile = await store.profiles.findByName(name);
  if (!profile) throw invalidInput(`unknown profile "${name}"`);
  return profile.id;
}

const createBody = z.strictObject({
  client_id: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(128),
  grants: z.array(z.string().min(1)).min(1),
  public: z.boolean().default(false),
  redirect_uris: z.array(z.string().min(1).max(2048)).default([]),
  refresh: z.boolean().default(false),
  implicit: z.boolean().default(false),
  allow_plain_pkce: z.boolean().default(false),
  access_ttl: ttl.optional(),
  refresh_ttl: ttl.optional(),
  code_ttl: ttl.max(600).optional(),
  scopes: z.array(z.string().min(1)).default([]),
  profile: z.string().min(1).optional(),
});

const patchBody = z.strictObject({
  name: z.string().min(1).max(128).optional(),
  redirect_uris: z.array(z.string().min(1).max(2048)).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  access_ttl: ttl.nullable().optional(),
  refresh_ttl: ttl.nullable().optional(),
  code_ttl: ttl.max(600).nullable().optional(),
  profile: z.string().min(1).nullable().optional(),
});

const created = clientSchema.extend({ client_secret: z.string().nullable().meta({ description: 'Shown only in this answer.' }) }).meta({ title: 'CreatedClient' });

export const clientOperations: Operation[] = [
  {
    id: 'listClients',
    method: 'GET',
    path: '/clients',
    tag: 'clients',
    summary: 'List OAuth 2.0 clients (never their secrets)',
    access: 'read',
    query: pageQuery.extend({
      enabled: z.enum(['true', 'false']).optional().meta({ description: 'Only enabled (or disabled) clients.' }),
      grant: z.string().optional().meta({ description: 'Only clients allowed this grant.' }),
    }),
    response: pageOf(clientSchema),
    async handle({ deps, query }) {
      const names = await profileNames(deps.store);
      const now = deps.clock();
      const views = (await deps.store.clients.list())
        .map((c) => clientView(c, names, now))
        .filter((c) => query.enabled === undefined || String(c.enabled) === query.enabled)
        .filter((c) => query.grant === undefined || c.grants.includes(query.grant));
      return { body: paginate(views, (c) => c.client_id, query) };
    },
  },
  {
    id: 'createClient',
    method: 'POST',
    path: '/clients',
    tag: 'clients',
    summary: 'Register a client; its secret is in this answer only',
    access: 'write',
    body: createBody,
    response: created,
    status: 201,
    audit: 'client',
    async handle({ deps, admin, body }) {
      const { client, secret } = await asProblems(() =>
        addClient(admin, {
          id: body.client_id,
          name: body.name,
          grants: body.grants.join(','),
          public: body.public,
          redirectUris: body.redirect_uris,
          refresh: body.refresh,
          implicit: body.implicit,
          allowPlainPkce: body.allow_plain_pkce,
          accessTtl: body.access_ttl?.toString(),
          refreshTtl: body.refresh_ttl?.toString(),
          codeTtl: body.code_ttl?.toString(),
          scopes: body.scopes.join(','),
          profile: body.profile,
        }),
      );
      return { body: { ...clientView(client, await profileNames(deps.store), deps.clock()), client_secret: secret }, target: client.clientId };
    },
  },
  {
    id: 'getClient',
    method: 'GET',
    path: '/clients/{client_id}',
    tag: 'clients',
    summary: 'Read one client',
    access: 'read',
    params: byId,
    response: clientSchema,
    etag: true,
    async handle({ deps, params }) {
      const view = clientView(await findClient(deps.store, params.client_id), await profileNames(deps.store), deps.clock());
      return { body: view, etag: etagOf(view) };
    },
  },
  {
    id: 'updateClient',
    method: 'PATCH',
    path: '/clients/{client_id}',
    tag: 'clients',
    summary: "Change a client's name, redirect URIs, scopes, lifetimes or profile (If-Match required)",
    access: 'write',
    params: byId,
    body: patchBody,
    response: clientSchema,
    etag: true,
    ifMatch: true,
    audit: 'client',
    async handle({ deps, params, body, ifMatch }) {
      const client = await findClient(deps.store, params.client_id);
      const names = await profileNames(deps.store);
      if (!ifMatchAdmits(ifMatch as string, etagOf(clientView(client, names, deps.clock())))) throw preconditionFailed();
      const changes: { -readonly [K in keyof ClientChanges]: ClientChanges[K] } = {};
      if (body.name !== undefined) changes.name = body.name.trim();
      if (body.redirect_uris !== undefined) changes.redirectUris = await asProblems(async () => [...new Set((body.redirect_uris as string[]).map(parseRedirectUri))]);
      if (body.scopes !== undefined) changes.scopes = await asProblems(async () => parseScopes((body.scopes as string[]).join(',')));
      if (body.access_ttl !== undefined) changes.accessTtl = body.access_ttl;
      if (body.refresh_ttl !== undefined) changes.refreshTtl = body.refresh_ttl;
      if (body.code_ttl !== undefined) changes.codeTtl = body.code_ttl;
      if (body.profile !== undefined) changes.profileId = await profileIdOf(deps.store, body.profile);
      const uris = changes.redirectUris ?? client.redirectUris;
      if ((client.grants.includes('authorization_code') || client.implicit) && uris.length === 0) {
        throw invalidInput('authorization_code and implicit clients need at least one redirect URI (redirect_uris)');
      }
      if (!(await deps.store.clients.update(client.clientId, client.version ?? 0, changes))) throw preconditionFailed();
      const view = clientView({ ...client, ...changes }, await profileNames(deps.store), deps.clock());
      return { body: view, etag: etagOf(view) };
    },
  },
  {
    id: 'deleteClient',
    method: 'DELETE',
    path: '/clients/{client_id}',
    tag: 'clients',
    summary: "Delete a client (its tokens end on every node first)",
    access: 'write',
    params: byId,
    status: 204,
    audit: 'client',
    async handle({ admin, params }) {
      await asProblems(() => deleteClient(admin, params.client_id));
      return {};
    },
  },
  ...(['enable', 'disable'] as const).map(
    (action): Operation => ({
      id: `${action}Client`,
      method: 'POST',
      path: `/clients/{client_id}/${action}`,
      tag: 'clients',
      summary: action === 'enable' ? 'Enable a client' : 'Disable a client (its tokens end on every node)',
      access: 'write',
      params: byId,
      response: clientSchema,
      audit: 'client',
      async handle({ deps, admin, params }) {
        await findClient(deps.store, params.client_id);
        await asProblems(() => (action === 'enable' ? enableClient(admin, params.client_id) : disableClient(admin, params.client_id)));
        return { body: clientView(await findClient(deps.store, params.client_id), await profileNames(deps.store), deps.clock()) };
      },
    }),
  ),
  {
    id: 'rotateClientSecret',
    method: 'POST',
    path: '/clients/{client_id}/rotate-secret',
    tag: 'clients',
    summary: 'A new secret, in this answer only; the old one stops at once or after grace_seconds',
    access: 'write',
    params: byId,
    body: z.strictObject({ grace_seconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).default(0) }),
    response: z.object({ client_id: z.string(), client_secret: z.string(), previous_secret_valid_until: z.string().nullable() }).meta({ title: 'RotatedClientSecret' }),
    audit: 'client',
    async handle({ deps, admin, params, body }) {
      await findClient(deps.store, params.client_id);
      const { secret, previousValidUntil } = await asProblems(() => rotateClientSecret(admin, params.client_id, { graceSeconds: body.grace_seconds }));
      return {
        body: { client_id: params.client_id, client_secret: secret, previous_secret_valid_until: previousValidUntil === null ? null : new Date(previousValidUntil).toISOString() },
      };
    },
  },
];
