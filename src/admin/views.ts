import { z } from 'zod';
import type { ClientRow, ConsumerRow, ProfileRow, Store, UserRow } from '../storage/types';

// The representations the admin API answers with (never a secret or a hash), as zod schemas for
// the OpenAPI document, and the functions that make them from rows.

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined) => (ms == null ? null : iso(ms));

export const profileSchema = z.object({ name: z.string(), privileges: z.array(z.string()), created_at: z.string() }).meta({ title: 'Profile' });
export const userSchema = z
  .object({ id: z.string(), username: z.string(), profile: z.string().nullable(), enabled: z.boolean(), source: z.enum(['local', 'ldap']), created_at: z.string() })
  .meta({ title: 'User' });
export const clientSchema = z
  .object({
    client_id: z.string(),
    name: z.string(),
    public: z.boolean(),
    grants: z.array(z.string()),
    implicit: z.boolean(),
    refresh: z.boolean(),
    redirect_uris: z.array(z.string()),
    scopes: z.array(z.string()),
    access_ttl: z.number().int().nullable(),
    refresh_ttl: z.number().int().nullable(),
    code_ttl: z.number().int().nullable(),
    profile: z.string().nullable(),
    enabled: z.boolean(),
    created_at: z.string(),
    previous_secret_valid_until: z.string().nullable(),
  })
  .meta({ title: 'Client' });
export const consumerSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    callback: z.string().nullable(),
    callback_match: z.enum(['prefix', 'exact']),
    xauth: z.boolean(),
    profile: z.string().nullable(),
    access_ttl: z.number().int().nullable(),
    enabled: z.boolean(),
    signature_methods: z.array(z.string()).nullable(),
    rsa_public_key: z.boolean(),
    requestor: z.boolean(),
    created_at: z.string(),
  })
  .meta({ title: 'Consumer' });

export type ProfileView = z.infer<typeof profileSchema>;
export type UserView = z.infer<typeof userSchema>;
export type ClientView = z.infer<typeof clientSchema>;
export type ConsumerView = z.infer<typeof consumerSchema>;

/** Profile ids to names, read once per answer. */
export async function profileNames(store: Store): Promise<(id: string | null) => string | null> {
  const names = new Map((await store.profiles.list()).map((p) => [p.id, p.name]));
  return (id) => (id === null ? null : (names.get(id) ?? null));
}

export const profileView = (p: ProfileRow): ProfileView => ({ name: p.name, privileges: [...p.privileges], created_at: iso(p.createdAt) });

export const userView = (u: UserRow, profile: (id: string | null) => string | null): UserView => ({
  id: u.id,
  username: u.username,
  profile: profile(u.profileId),
  enabled: u.enabled,
  source: u.source,
  created_at: iso(u.createdAt),
});

export const clientView = (c: ClientRow, profile: (id: string | null) => string | null, now: number): ClientView => ({
  client_id: c.clientId,
  name: c.name,
  public: c.secretHash === null,
  grants: [...c.grants],
  implicit: c.implicit,
  refresh: c.refresh,
  redirect_uris: [...c.redirectUris],
  scopes: [...c.scopes],
  access_ttl: c.accessTtl,
  refresh_ttl: c.refreshTtl,
  code_ttl: c.codeTtl,
  profile: profile(c.profileId),
  enabled: c.enabled,
  created_at: iso(c.createdAt),
  previous_secret_valid_until: c.previousSecretHash && (c.previousSecretExpiresAt ?? 0) > now ? isoOrNull(c.previousSecretExpiresAt) : null,
});

export const consumerView = (c: ConsumerRow, profile: (id: string | null) => string | null): ConsumerView => ({
  key: c.key,
  name: c.name,
  callback: c.callbackUrl,
  callback_match: c.callbackMatch,
  xauth: c.xauth,
  profile: profile(c.profileId),
  access_ttl: c.accessTtl,
  enabled: c.enabled,
  signature_methods: c.signatureMethods === null ? null : [...c.signatureMethods],
  rsa_public_key: c.rsaPublicKey !== null,
  requestor: c.requestor,
  created_at: iso(c.createdAt),
});
