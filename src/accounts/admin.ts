import { randomUUID } from 'node:crypto';
import type { Store } from '../storage/types';
import { DuplicateError } from '../storage/types';
import { usernameKey } from '../storage';
import { Client, Consumer, Profile, User } from '../storage/entities';
import { hashSecret, randomIdentifier, randomToken, type SecretBox } from '../crypto';
import type { Clock } from '../clock';
import type { Cache } from '../cache/types';
import { changeAndRevoke } from './revoke';
import {
  InvalidInputError,
  parseCallback,
  parseCallbackMatch,
  parseGrants,
  parseList,
  parseRedirectUri,
  parseScopes,
  parseSeconds,
  requireText,
} from './validation';

// Administration of profiles, users, consumers and clients: shared by the CLI, the demo seed and tests.
// Everything is validated before anything is written, so bad input writes nothing.

export interface AdminContext {
  store: Store;
  secrets: SecretBox;
  clock: Clock;
  /** Redis, when configured: wakes the running nodes after a revocation (they also read the log every second). */
  cache?: Pick<Cache, 'publish'>;
}

async function profileIdFor(store: Store, name: string | undefined): Promise<string | null> {
  if (name === undefined) return null;
  const profile = await store.profiles.findByName(name);
  if (!profile) throw new InvalidInputError(`unknown profile "${name}"`);
  return profile.id;
}

function duplicate<T>(promise: Promise<T>, message: string): Promise<T> {
  return promise.catch((err) => {
    throw err instanceof DuplicateError ? new InvalidInputError(message) : err;
  });
}

export async function addProfile(ctx: AdminContext, input: { name?: string; privileges?: string }): Promise<Profile> {
  const name = requireText(input.name, '--name');
  const privileges = [...new Set(parseList(input.privileges))];
  if (await ctx.store.profiles.findByName(name)) throw new InvalidInputError(`profile "${name}" already exists`);
  const profile = Object.assign(new Profile(), {
    id: randomUUID(),
    name,
    privileges,
    createdAt: ctx.clock(),
  });
  await duplicate(ctx.store.profiles.create(profile), `profile "${name}" already exists`);
  return profile;
}

export function validatePassword(password: string | undefined): string {
  if (password === undefined || password === '') throw new InvalidInputError('--password is required');
  if (password.length < 8) throw new InvalidInputError('the password must be at least 8 characters');
  if (password.length > 1024) throw new InvalidInputError('the password must be at most 1024 characters');
  return password;
}

export async function addUser(
  ctx: AdminContext,
  input: { username?: string; password?: string; profile?: string },
): Promise<User> {
  const username = requireText(input.username, '--username');
  if (username.length > 255 || /[\s:]/.test(username)) throw new InvalidInputError('the username must be at most 255 characters, without spaces or colons');
  const password = validatePassword(input.password);
  const profileId = await profileIdFor(ctx.store, input.profile);
  if (await ctx.store.users.findByUsername(username)) throw new InvalidInputError(`user "${username}" already exists`);
  const user = Object.assign(new User(), {
    id: randomUUID(),
    username,
    usernameKey: usernameKey(username),
    passwordHash: await hashSecret(password),
    profileId,
    enabled: true,
    credentialVersion: 0,
    createdAt: ctx.clock(),
  });
  await duplicate(ctx.store.users.create(user), `user "${username}" already exists`);
  return user;
}

const unknownUser = (username: string) => new InvalidInputError(`unknown user "${username}"`);

/**
 * A new password. Everything the user was given under the old one ends with it, on every node:
 * tokens, OAuth 1.0a sessions, unused codes, consents and browser sign-ins (a leaked password is
 * the usual reason for changing it).
 */
export async function setUserPassword(ctx: AdminContext, username: string, password: string | undefined): Promise<void> {
  validatePassword(password);
  const passwordHash = await hashSecret(password as string);
  await changeAndRevoke(ctx, 'password_changed', async (tx) => {
    const user = await tx.users.findByUsername(username);
    if (!user || !(await tx.users.setPasswordHash(username, passwordHash))) throw unknownUser(username);
    return { kind: 'user', id: user.id };
  });
}

/** Disabling a user also takes back everything the user was given, on every node; enabling gives nothing back. */
export async function setUserEnabled(ctx: AdminContext, username: string, enabled: boolean): Promise<void> {
  if (enabled) {
    if (!(await ctx.store.users.setEnabled(username, true))) throw unknownUser(username);
    return;
  }
  await changeAndRevoke(ctx, 'disabled', async (tx) => {
    const user = await tx.users.findByUsername(username);
    if (!user || !(await tx.users.setEnabled(username, false))) throw unknownUser(username);
    return { kind: 'user', id: user.id };
  });
}

/** Disables an OAuth 2.0 client: its tokens stop working on every node, and the consents users gave it are forgotten. */
export async function disableClient(ctx: AdminContext, clientId: string): Promise<void> {
  await changeAndRevoke(ctx, 'disabled', async (tx) => {
    if (!(await tx.clients.setEnabled(clientId, false))) throw new InvalidInputError(`unknown client "${clientId}"`);
    return { kind: 'client', id: clientId };
  });
}

/** Disables an OAuth 1.0a consumer: its signatures are refused, its tokens and sessions end on every node. */
export async function disableConsumer(ctx: AdminContext, key: string): Promise<void> {
  await changeAndRevoke(ctx, 'disabled', async (tx) => {
    if (!(await tx.consumers.setEnabled(key, false))) throw new InvalidInputError(`unknown consumer "${key}"`);
    return { kind: 'consumer', id: key };
  });
}

/** The consumer secret is returned once, here; only its encrypted form is stored. */
export async function addConsumer(
  ctx: AdminContext,
  input: { name?: string; callback?: string; callbackMatch?: string; xauth?: boolean; profile?: string; accessTtl?: string },
): Promise<{ consumer: Consumer; secret: string }> {
  const name = requireText(input.name, '--name');
  const callbackUrl = input.callback === undefined ? null : parseCallback(input.callback);
  if (input.callbackMatch !== undefined && callbackUrl === null) throw new InvalidInputError('--callback-match needs --callback');
  const callbackMatch = parseCallbackMatch(input.callbackMatch);
  const accessTtl = parseSeconds(input.accessTtl, '--access-ttl');
  const profileId = await profileIdFor(ctx.store, input.profile);
  const secret = randomToken(32);
  const consumer = Object.assign(new Consumer(), {
    key: randomIdentifier(18),
    name,
    secretEnc: ctx.secrets.seal(secret),
    callbackUrl,
    callbackMatch,
    xauth: Boolean(input.xauth),
    profileId,
    accessTtl,
    enabled: true,
    createdAt: ctx.clock(),
  });
  await duplicate(ctx.store.consumers.create(consumer), 'consumer key collision; try again');
  return { consumer, secret };
}

/**
 * Registers, replaces or (callback false) removes a consumer's callback, or changes how requests
 * must match it. Request tokens already issued are held to the new registration at user_auth.
 */
export async function setConsumerCallback(
  ctx: AdminContext,
  key: string,
  input: { callback?: string | false; callbackMatch?: string },
): Promise<Consumer> {
  if (input.callback === undefined && input.callbackMatch === undefined) {
    throw new InvalidInputError('nothing to change: give --callback URL, --no-callback or --callback-match');
  }
  const consumer = await ctx.store.consumers.findByKey(key);
  if (!consumer) throw new InvalidInputError(`unknown consumer "${key}"`);
  const callbackUrl = input.callback === undefined ? consumer.callbackUrl : input.callback === false ? null : parseCallback(input.callback);
  if (input.callbackMatch !== undefined && callbackUrl === null) {
    throw new InvalidInputError('--callback-match needs a registered callback (give --callback)');
  }
  const callbackMatch = input.callbackMatch === undefined ? consumer.callbackMatch : parseCallbackMatch(input.callbackMatch);
  if (!(await ctx.store.consumers.setCallback(key, callbackUrl, callbackMatch))) throw new InvalidInputError(`unknown consumer "${key}"`);
  return Object.assign(consumer, { callbackUrl, callbackMatch });
}

export interface ClientInput {
  id?: string;
  name?: string;
  grants?: string;
  public?: boolean;
  redirectUris?: string[];
  refresh?: boolean;
  implicit?: boolean;
  allowPlainPkce?: boolean;
  accessTtl?: string;
  refreshTtl?: string;
  codeTtl?: string;
  scopes?: string;
  profile?: string;
}

/** The client secret (confidential clients) is returned once, here; only its hash is stored. */
export async function addClient(ctx: AdminContext, input: ClientInput): Promise<{ client: Client; secret: string | null }> {
  const name = requireText(input.name, '--name');
  const grants = parseGrants(input.grants);
  const implicit = Boolean(input.implicit) || (grants as string[]).includes('implicit');
  const realGrants = grants.filter((g) => (g as string) !== 'implicit');
  const refresh = Boolean(input.refresh) || realGrants.includes('refresh_token');
  if (refresh && !realGrants.includes('refresh_token')) realGrants.push('refresh_token');
  const redirectUris = [...new Set((input.redirectUris ?? []).map(parseRedirectUri))];
  if ((realGrants.includes('authorization_code') || implicit) && redirectUris.length === 0) {
    throw new InvalidInputError('authorization_code and implicit clients need at least one --redirect-uri');
  }
  if (input.public && realGrants.includes('client_credentials')) {
    throw new InvalidInputError('a public client cannot use client_credentials (it has no secret)');
  }
  const clientId = input.id === undefined ? randomIdentifier(16) : requireText(input.id, '--id');
  if (!/^[\x21-\x7E]{1,64}$/.test(clientId) || clientId.includes(':')) {
    throw new InvalidInputError('--id must be 1 to 64 visible ASCII characters without a colon');
  }
  const accessTtl = parseSeconds(input.accessTtl, '--access-ttl');
  const refreshTtl = parseSeconds(input.refreshTtl, '--refresh-ttl');
  const codeTtl = parseSeconds(input.codeTtl, '--code-ttl', 600);
  const scopes = parseScopes(input.scopes);
  const profileId = await profileIdFor(ctx.store, input.profile);
  if (await ctx.store.clients.findById(clientId)) throw new InvalidInputError(`client "${clientId}" already exists`);
  const secret = input.public ? null : randomToken(32);
  const client = Object.assign(new Client(), {
    clientId,
    name,
    secretHash: secret === null ? null : await hashSecret(secret),
    redirectUris,
    grants: realGrants,
    scopes,
    refresh,
    implicit,
    allowPlainPkce: Boolean(input.allowPlainPkce),
    accessTtl,
    refreshTtl,
    codeTtl,
    profileId,
    enabled: true,
    createdAt: ctx.clock(),
  });
  await duplicate(ctx.store.clients.create(client), `client "${clientId}" already exists`);
  return { client, secret };
}
