import { randomUUID } from 'node:crypto';
import { DuplicateError, type ClientOidcFields, type ClientRow, type ConsumerRow, type ProfileRow, type Store, type UserRow } from '../storage/types';
import { usernameKey } from '../storage';
import { hashSecret, randomIdentifier, randomToken, type SecretBox } from '../crypto';
import type { Clock } from '../clock';
import type { Cache } from '../cache/types';
import { changeAndRevoke } from './revoke';
import { readRsaPublicKey } from '../oauth1/rsa-keys';
import { parseSignatureMethods } from '../oauth1/consumer-methods';
import { SIGNATURE_METHODS } from '../oauth1/signature';
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

export async function addProfile(ctx: AdminContext, input: { name?: string; privileges?: string }): Promise<ProfileRow> {
  const name = requireText(input.name, 'name');
  const privileges = [...new Set(parseList(input.privileges))];
  if (await ctx.store.profiles.findByName(name)) throw new InvalidInputError(`profile "${name}" already exists`);
  const profile: ProfileRow = {
    id: randomUUID(),
    name,
    privileges,
    createdAt: ctx.clock(),
  };
  await duplicate(ctx.store.profiles.create(profile), `profile "${name}" already exists`);
  return profile;
}

export function validatePassword(password: string | undefined): string {
  if (password === undefined || password === '') throw new InvalidInputError((n) => `${n('password')} is required`);
  if (password.length < 8) throw new InvalidInputError('the password must be at least 8 characters');
  if (password.length > 1024) throw new InvalidInputError('the password must be at most 1024 characters');
  return password;
}

/** OpenID Connect `name`: free text, one line. */
function parseDisplayName(name: string | undefined): string | null {
  if (name === undefined || name === '') return null;
  if (name.length > 255 || /[\x00-\x1f\x7f]/.test(name)) throw new InvalidInputError('the name must be at most 255 characters on one line');
  return name;
}

/** OpenID Connect `email`: an address (RFC 5322 addr-spec, checked loosely: local@domain). */
function parseEmail(email: string | undefined): string | null {
  if (email === undefined || email === '') return null;
  if (email.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new InvalidInputError('the email must be an address such as ada@example.com');
  return email;
}

export async function addUser(
  ctx: AdminContext,
  input: { username?: string; password?: string; profile?: string; name?: string; email?: string },
): Promise<UserRow> {
  const username = requireText(input.username, 'username');
  const displayName = parseDisplayName(input.name);
  const email = parseEmail(input.email);
  if (username.length > 255 || /[\s:]/.test(username)) throw new InvalidInputError('the username must be at most 255 characters, without spaces or colons');
  const password = validatePassword(input.password);
  const profileId = await profileIdFor(ctx.store, input.profile);
  if (await ctx.store.users.findByUsername(username)) throw new InvalidInputError(`user "${username}" already exists`);
  const user: UserRow = {
    id: randomUUID(),
    username,
    usernameKey: usernameKey(username),
    passwordHash: await hashSecret(password),
    profileId,
    enabled: true,
    credentialVersion: 0,
    createdAt: ctx.clock(),
    source: 'local',
    displayName,
    email,
  };
  await duplicate(ctx.store.users.create(user), `user "${username}" already exists`);
  return user;
}

/**
 * `user set`: the name and email the OpenID Connect profile and email scopes share. A flag left out
 * keeps its value; an empty one clears it. updated_at follows.
 */
export async function setUserProfile(ctx: AdminContext, username: string, input: { name?: string; email?: string }): Promise<UserRow> {
  const user = await ctx.store.users.findByUsername(username);
  if (!user) throw unknownUserError(username);
  if (user.source !== 'local') throw new InvalidInputError(`user "${username}" comes from the directory, which sets its name and email at each login`);
  const displayName = input.name === undefined ? user.displayName : parseDisplayName(input.name);
  const email = input.email === undefined ? user.email : parseEmail(input.email);
  const updatedAt = ctx.clock();
  await ctx.store.users.setProfileFields(username, { displayName, email, updatedAt });
  return { ...user, displayName, email, updatedAt };
}

const unknownUserError = (username: string) => new InvalidInputError(`unknown user "${username}"`);

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
    // A local hash would never be checked for a directory user (accounts/user-store.ts): say so instead of pretending.
    if (user?.source === 'ldap') throw new InvalidInputError(`user "${user.username}" signs in through LDAP: change the password in the directory`);
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

export interface ConsumerInput {
  name?: string;
  callback?: string;
  callbackMatch?: string;
  xauth?: boolean;
  profile?: string;
  accessTtl?: string;
  /** The PEM text (the CLI reads it from the file --rsa-public-key names). */
  rsaPublicKey?: string;
  /** Accept a 1024-bit RSA key (older Jira application links). */
  allowLegacyRsaKey?: boolean;
  /** Comma-separated; absent: the gateway's oauth1.signatureMethods. */
  signatureMethods?: string;
  requestor?: boolean;
}

/** The consumer secret is returned once, here; only its encrypted form is stored. */
export async function addConsumer(ctx: AdminContext, input: ConsumerInput): Promise<{ consumer: ConsumerRow; secret: string }> {
  const name = requireText(input.name, 'name');
  const { rsaPublicKey, signatureMethods } = consumerSigning(input);
  const callbackUrl = input.callback === undefined ? null : parseCallback(input.callback);
  if (input.callbackMatch !== undefined && callbackUrl === null) throw new InvalidInputError((n) => `${n('callbackMatch')} needs ${n('callback')}`);
  const callbackMatch = parseCallbackMatch(input.callbackMatch);
  const accessTtl = parseSeconds(input.accessTtl, 'accessTtl');
  const profileId = await profileIdFor(ctx.store, input.profile);
  const secret = randomToken(32);
  const consumer: ConsumerRow = {
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
    rsaPublicKey,
    signatureMethods,
    requestor: Boolean(input.requestor),
  };
  await duplicate(ctx.store.consumers.create(consumer), 'consumer key collision; try again');
  return { consumer, secret };
}

/**
 * How a consumer signs: its RSA public key (checked: RSA, at least 2048 bits unless 1024 is
 * explicitly allowed) and its own list of methods. A list naming RSA-SHA1 needs a key, and a key
 * with a list that leaves RSA-SHA1 out would never be used: both are refused as mistakes.
 */
function consumerSigning(input: ConsumerInput): { rsaPublicKey: string | null; signatureMethods: string[] | null } {
  let rsaPublicKey: string | null = null;
  if (input.rsaPublicKey !== undefined) {
    const reading = readRsaPublicKey(input.rsaPublicKey, { allowLegacy1024: Boolean(input.allowLegacyRsaKey) });
    if (!reading.ok) {
      const reason = reading.reason;
      throw new InvalidInputError((n) => `${n('rsaPublicKey')}: ${reason}${reason.includes('opt-in') ? ` (${n('allowLegacyRsaKey')})` : ''}`);
    }
    rsaPublicKey = reading.pem;
  } else if (input.allowLegacyRsaKey) {
    throw new InvalidInputError((n) => `${n('allowLegacyRsaKey')} needs ${n('rsaPublicKey')}`);
  }
  let signatureMethods: string[] | null = null;
  if (input.signatureMethods !== undefined) {
    const parsed = parseSignatureMethods(parseList(input.signatureMethods));
    if (!parsed.ok) {
      const unknown = parsed.unknown.join(', ');
      throw new InvalidInputError((n) => `${n('signatureMethods')}: unknown method ${unknown} (known: ${SIGNATURE_METHODS.join(', ')})`);
    }
    if (parsed.methods.length === 0) throw new InvalidInputError((n) => `${n('signatureMethods')} names no method`);
    signatureMethods = parsed.methods;
  }
  if (signatureMethods?.includes('RSA-SHA1') && rsaPublicKey === null) {
    throw new InvalidInputError((n) => `${n('signatureMethods')} names RSA-SHA1: give the consumer's key with ${n('rsaPublicKey')}`);
  }
  if (signatureMethods && !signatureMethods.includes('RSA-SHA1') && rsaPublicKey !== null) {
    throw new InvalidInputError((n) => `${n('rsaPublicKey')} is given but ${n('signatureMethods')} leaves RSA-SHA1 out`);
  }
  return { rsaPublicKey, signatureMethods };
}

/**
 * Registers, replaces or (callback false) removes a consumer's callback, or changes how requests
 * must match it. Request tokens already issued are held to the new registration at user_auth.
 */
export async function setConsumerCallback(
  ctx: AdminContext,
  key: string,
  input: { callback?: string | false; callbackMatch?: string },
): Promise<ConsumerRow> {
  if (input.callback === undefined && input.callbackMatch === undefined) {
    throw new InvalidInputError((n) => `nothing to change: give ${n('callback')}, ${n('callback', false)} or ${n('callbackMatch')}`);
  }
  const consumer = await ctx.store.consumers.findByKey(key);
  if (!consumer) throw new InvalidInputError(`unknown consumer "${key}"`);
  const callbackUrl = input.callback === undefined ? consumer.callbackUrl : input.callback === false ? null : parseCallback(input.callback);
  if (input.callbackMatch !== undefined && callbackUrl === null) {
    throw new InvalidInputError((n) => `${n('callbackMatch')} needs a registered callback (give ${n('callback')})`);
  }
  const callbackMatch = input.callbackMatch === undefined ? consumer.callbackMatch : parseCallbackMatch(input.callbackMatch);
  if (!(await ctx.store.consumers.setCallback(key, callbackUrl, callbackMatch))) throw new InvalidInputError(`unknown consumer "${key}"`);
  return { ...consumer, callbackUrl, callbackMatch };
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
  /** RFC 9126: take authorization requests only as pushed ones. */
  requirePar?: boolean;
  accessTtl?: string;
  refreshTtl?: string;
  codeTtl?: string;
  scopes?: string;
  profile?: string;
  idTokenAlg?: string;
  accessTokenFormat?: string;
  postLogoutRedirectUris?: string[];
}

/** The OpenID Connect settings of `client add` and `client set`; a flag left out keeps `current`. */
export function parseClientOidc(input: Pick<ClientInput, 'idTokenAlg' | 'accessTokenFormat' | 'postLogoutRedirectUris'>, current: ClientOidcFields): ClientOidcFields {
  let { idTokenAlg, accessTokenFormat, postLogoutRedirectUris } = current;
  if (input.idTokenAlg !== undefined) {
    if (input.idTokenAlg !== 'RS256' && input.idTokenAlg !== 'ES256') throw new InvalidInputError((n) => `${n('idTokenAlg')} must be RS256 or ES256`);
    idTokenAlg = input.idTokenAlg === 'RS256' ? null : input.idTokenAlg;
  }
  if (input.accessTokenFormat !== undefined) {
    if (input.accessTokenFormat !== 'opaque' && input.accessTokenFormat !== 'jwt') throw new InvalidInputError((n) => `${n('accessTokenFormat')} must be opaque or jwt`);
    accessTokenFormat = input.accessTokenFormat;
  }
  if (input.postLogoutRedirectUris !== undefined && input.postLogoutRedirectUris.length > 0) {
    postLogoutRedirectUris = [...new Set(input.postLogoutRedirectUris.map(parseRedirectUri))];
  }
  return { idTokenAlg, accessTokenFormat, postLogoutRedirectUris };
}

/** `client set`: the client's OpenID Connect settings (the client-row cache of each node follows within database.clientCacheSeconds). */
export async function setClientOidc(ctx: AdminContext, clientId: string, input: ClientInput): Promise<ClientRow> {
  const client = await ctx.store.clients.findById(clientId);
  if (!client) throw new InvalidInputError(`unknown client "${clientId}"`);
  const fields = parseClientOidc(input, {
    idTokenAlg: client.idTokenAlg ?? null,
    accessTokenFormat: client.accessTokenFormat ?? 'opaque',
    postLogoutRedirectUris: client.postLogoutRedirectUris ?? null,
  });
  await ctx.store.clients.setOidcFields(clientId, fields);
  return { ...client, ...fields };
}

/** The client secret (confidential clients) is returned once, here; only its hash is stored. */
export async function addClient(ctx: AdminContext, input: ClientInput): Promise<{ client: ClientRow; secret: string | null }> {
  const name = requireText(input.name, 'name');
  const grants = parseGrants(input.grants);
  const implicit = Boolean(input.implicit) || (grants as string[]).includes('implicit');
  const realGrants = grants.filter((g) => (g as string) !== 'implicit');
  const refresh = Boolean(input.refresh) || realGrants.includes('refresh_token');
  if (refresh && !realGrants.includes('refresh_token')) realGrants.push('refresh_token');
  const redirectUris = [...new Set((input.redirectUris ?? []).map(parseRedirectUri))];
  if ((realGrants.includes('authorization_code') || implicit) && redirectUris.length === 0) {
    throw new InvalidInputError((n) => `authorization_code and implicit clients need at least one redirect URI (${n('redirectUris')})`);
  }
  if (input.public && realGrants.includes('client_credentials')) {
    throw new InvalidInputError('a public client cannot use client_credentials (it has no secret)');
  }
  const clientId = input.id === undefined ? randomIdentifier(16) : requireText(input.id, 'id');
  if (!/^[\x21-\x7E]{1,64}$/.test(clientId) || clientId.includes(':')) {
    throw new InvalidInputError((n) => `${n('id')} must be 1 to 64 visible ASCII characters without a colon`);
  }
  const accessTtl = parseSeconds(input.accessTtl, 'accessTtl');
  const refreshTtl = parseSeconds(input.refreshTtl, 'refreshTtl');
  const codeTtl = parseSeconds(input.codeTtl, 'codeTtl', 600);
  const scopes = parseScopes(input.scopes);
  const profileId = await profileIdFor(ctx.store, input.profile);
  const oidc = parseClientOidc(input, { idTokenAlg: null, accessTokenFormat: 'opaque', postLogoutRedirectUris: null });
  if (await ctx.store.clients.findById(clientId)) throw new InvalidInputError(`client "${clientId}" already exists`);
  const secret = input.public ? null : randomToken(32);
  const client: ClientRow = {
    clientId,
    name,
    secretHash: secret === null ? null : await hashSecret(secret),
    redirectUris,
    grants: realGrants,
    scopes,
    refresh,
    implicit,
    allowPlainPkce: Boolean(input.allowPlainPkce),
    requirePar: Boolean(input.requirePar),
    accessTtl,
    refreshTtl,
    codeTtl,
    profileId,
    enabled: true,
    createdAt: ctx.clock(),
    ...oidc,
  };
  await duplicate(ctx.store.clients.create(client), `client "${clientId}" already exists`);
  return { client, secret };
}
