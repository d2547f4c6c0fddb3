import { z } from 'zod';
import { addUser, setUserEnabled } from '../../accounts/admin';
import { deleteUser } from '../../accounts/delete';
import { listUserGrants, revokeOneUserGrant, revokeUserGrants } from '../../accounts/user-grants';
import { GRANT_ID_PATTERN } from '../../accounts/grant-ids';
import type { GatewayDeps } from '../../deps';
import type { Store, UserRow } from '../../storage/types';
import { etagOf, ifMatchAdmits } from '../etag';
import { asProblems } from '../input-errors';
import type { Operation } from '../operation';
import { pageOf, pageQuery, paginate } from '../pagination';
import { invalidInput, notFound, preconditionFailed } from '../problems';
import { profileNames, userSchema, userView } from '../views';

const byUsername = z.object({ username: z.string().min(1).max(255) });

/**
 * This node stops accepting the revoked tokens before the answer goes out (and tells the others on
 * the channel), then reads the revocation log: a read already running may have begun before the
 * commit, so twice.
 */
async function refuseHereAtOnce(deps: GatewayDeps, digests: readonly string[]): Promise<void> {
  await deps.revocations.tokensRevoked(digests);
  await deps.revocations.feed.catchUp();
  await deps.revocations.feed.catchUp();
}

async function findUser(store: Store, username: string): Promise<UserRow> {
  const user = await store.users.findByUsername(username);
  if (!user) throw notFound('user');
  return user;
}

async function viewOf(store: Store, user: UserRow) {
  return userView(user, await profileNames(store));
}

const grantSchema = z
  .object({
    id: z.string().meta({ description: 'Names this grant alone: DELETE /users/{username}/grants/{id} ends it.' }),
    protocol: z.enum(['oauth1', 'oauth2']),
    kind: z.enum(['oauth1_session', 'token_family', 'access_token', 'consent', 'device_grant']),
    party: z.string(),
    scope: z.array(z.string()),
    created_at: z.string(),
    expires_at: z.string().nullable(),
  })
  .meta({ title: 'Grant' });
const consentSchema = z.object({ client_id: z.string(), scopes: z.array(z.string()), updated_at: z.string() }).meta({ title: 'Consent' });

export const userOperations: Operation[] = [
  {
    id: 'listUsers',
    method: 'GET',
    path: '/users',
    tag: 'users',
    summary: 'List users',
    access: 'read',
    query: pageQuery.extend({
      enabled: z.enum(['true', 'false']).optional().meta({ description: 'Only enabled (or disabled) users.' }),
      profile: z.string().optional().meta({ description: 'Only users of this profile.' }),
    }),
    response: pageOf(userSchema),
    async handle({ deps, query }) {
      const names = await profileNames(deps.store);
      const views = (await deps.store.users.list())
        .map((u) => userView(u, names))
        .filter((u) => query.enabled === undefined || String(u.enabled) === query.enabled)
        .filter((u) => query.profile === undefined || u.profile === query.profile);
      return { body: paginate(views, (u) => u.username.toLowerCase(), query) };
    },
  },
  {
    id: 'createUser',
    method: 'POST',
    path: '/users',
    tag: 'users',
    summary: 'Create a local user',
    access: 'write',
    body: z.strictObject({ username: z.string().min(1).max(255), password: z.string().min(1).max(1024), profile: z.string().min(1).optional() }),
    response: userSchema,
    status: 201,
    etag: true,
    audit: 'user',
    async handle({ deps, admin, body }) {
      const user = await asProblems(() => addUser(admin, body));
      const view = await viewOf(deps.store, user);
      return { body: view, etag: etagOf(view), target: user.username };
    },
  },
  {
    id: 'getUser',
    method: 'GET',
    path: '/users/{username}',
    tag: 'users',
    summary: 'Read one user',
    access: 'read',
    params: byUsername,
    response: userSchema,
    etag: true,
    async handle({ deps, params }) {
      const view = await viewOf(deps.store, await findUser(deps.store, params.username));
      return { body: view, etag: etagOf(view) };
    },
  },
  {
    id: 'updateUser',
    method: 'PATCH',
    path: '/users/{username}',
    tag: 'users',
    summary: "Change a user's profile (If-Match required)",
    access: 'write',
    params: byUsername,
    body: z.strictObject({ profile: z.string().min(1).nullable() }),
    response: userSchema,
    etag: true,
    ifMatch: true,
    audit: 'user',
    async handle({ deps, params, body, ifMatch }) {
      const user = await findUser(deps.store, params.username);
      if (!ifMatchAdmits(ifMatch as string, etagOf(await viewOf(deps.store, user)))) throw preconditionFailed();
      let profileId: string | null = null;
      if (body.profile !== null) {
        const profile = await deps.store.profiles.findByName(body.profile);
        if (!profile) throw invalidInput(`unknown profile "${body.profile}"`);
        profileId = profile.id;
      }
      if (!(await deps.store.users.update(user.id, user.version ?? 0, { profileId }))) throw preconditionFailed();
      const view = await viewOf(deps.store, { ...user, profileId });
      return { body: view, etag: etagOf(view) };
    },
  },
  {
    id: 'deleteUser',
    method: 'DELETE',
    path: '/users/{username}',
    tag: 'users',
    summary: "Delete a user (the user's grants end on every node first)",
    access: 'write',
    params: byUsername,
    status: 204,
    audit: 'user',
    async handle({ admin, params }) {
      await asProblems(() => deleteUser(admin, params.username));
      return {};
    },
  },
  ...(['enable', 'disable'] as const).map(
    (action): Operation => ({
      id: `${action}User`,
      method: 'POST',
      path: `/users/{username}/${action}`,
      tag: 'users',
      summary: action === 'enable' ? 'Enable a user' : "Disable a user (the user's grants end on every node)",
      access: 'write',
      params: byUsername,
      response: userSchema,
      audit: 'user',
      async handle({ deps, admin, params }) {
        const user = await findUser(deps.store, params.username);
        await asProblems(() => setUserEnabled(admin, user.username, action === 'enable'));
        return { body: await viewOf(deps.store, { ...user, enabled: action === 'enable' }) };
      },
    }),
  ),
  {
    id: 'listUserGrants',
    method: 'GET',
    path: '/users/{username}/grants',
    tag: 'grants',
    summary: "The user's live grants across protocols",
    access: 'read',
    params: byUsername,
    query: z.object({
      client: z.string().optional().meta({ description: 'Only grants to this OAuth 2.0 client or OAuth 1.0a consumer.' }),
      kind: z.enum(['oauth1_session', 'token_family', 'access_token', 'consent', 'device_grant']).optional(),
    }),
    response: z.object({ items: z.array(grantSchema) }),
    async handle({ admin, params, query }) {
      const { grants } = await asProblems(() => listUserGrants(admin, params.username));
      const items = grants
        .filter((g) => query.client === undefined || g.party === query.client)
        .filter((g) => query.kind === undefined || g.kind === query.kind)
        .map((g) => ({ id: g.id, protocol: g.protocol, kind: g.kind, party: g.party, scope: g.scope, created_at: new Date(g.createdAt).toISOString(), expires_at: g.expiresAt === null ? null : new Date(g.expiresAt).toISOString() }));
      return { body: { items } };
    },
  },
  {
    id: 'revokeUserGrants',
    method: 'POST',
    path: '/users/{username}/grants/revoke',
    tag: 'grants',
    summary: "End the user's grants (all, or one client's or consumer's) on every node",
    access: 'write',
    params: byUsername,
    body: z.strictObject({ client: z.string().min(1).optional(), consumer: z.string().min(1).optional() }),
    response: z.object({ changed: z.number().int() }),
    audit: 'grant',
    async handle({ admin, params, body }) {
      const changed = await asProblems(() => revokeUserGrants(admin, params.username, { client: body.client, consumer: body.consumer }));
      return { body: { changed } };
    },
  },
  {
    id: 'revokeUserGrant',
    method: 'DELETE',
    path: '/users/{username}/grants/{grant_id}',
    tag: 'grants',
    summary: 'End one grant of the user (a refresh family, an access token, an OAuth 1.0a session, a device approval, a consent) on every node; the others stay',
    access: 'write',
    params: byUsername.extend({ grant_id: z.string().regex(GRANT_ID_PATTERN, 'not a grant id').meta({ description: 'The id from GET /users/{username}/grants (or a client\'s or consumer\'s grants).' }) }),
    status: 204,
    audit: 'grant',
    async handle({ deps, admin, params }) {
      await findUser(deps.store, params.username);
      const { digests } = await asProblems(() => revokeOneUserGrant(admin, params.username, params.grant_id));
      await refuseHereAtOnce(deps, digests);
      return {};
    },
  },
  {
    id: 'listUserConsents',
    method: 'GET',
    path: '/users/{username}/consents',
    tag: 'consents',
    summary: "The user's remembered consents",
    access: 'read',
    params: byUsername,
    response: z.object({ items: z.array(consentSchema) }),
    async handle({ deps, params }) {
      const user = await findUser(deps.store, params.username);
      const rows = await deps.store.consents.listByUser(user.id);
      return { body: { items: rows.map((c) => ({ client_id: c.clientId, scopes: [...c.scopes], updated_at: new Date(c.updatedAt).toISOString() })) } };
    },
  },
  {
    id: 'deleteUserConsent',
    method: 'DELETE',
    path: '/users/{username}/consents/{client_id}',
    tag: 'consents',
    summary: 'Forget a remembered consent (the next authorization asks again; tokens stay)',
    access: 'write',
    params: byUsername.extend({ client_id: z.string().min(1).max(64) }),
    status: 204,
    audit: 'consent',
    async handle({ deps, params }) {
      const user = await findUser(deps.store, params.username);
      if (!(await deps.store.consents.find(user.id, params.client_id))) throw notFound('consent');
      await deps.store.consents.revoke(user.id, params.client_id);
      return { target: `${user.username}/${params.client_id}` };
    },
  },
];
