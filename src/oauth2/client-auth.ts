import type { GatewayDeps } from '../deps';
import { MalformedEncodingError, decodeFormComponent } from '../http/form';
import type { ClientRow } from '../storage/types';
import { OAuth2Error } from './errors';
import type { TokenParams } from './params';

/** How the client authenticated, in RFC 8414's names. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** Every method parseClientCredentials reads, in the order the metadata lists them. */
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];

export interface ClientCredentials {
  clientId: string;
  /** null when the client sent only its id (a public client). */
  secret: string | null;
  method: ClientAuthMethod;
}

const token68 = /^[A-Za-z0-9+/]+=*$/;

/**
 * Reads the client's credentials from `Authorization: Basic` (RFC 6749 section 2.3.1: id and secret
 * each form-urlencoded, appendix B, before base64) or from client_id/client_secret in the body.
 * Returns null when the request names no client at all.
 */
export function parseClientCredentials(authorization: string | undefined, params: TokenParams, realm: string): ClientCredentials | null {
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  if (authorization) {
    const basic = parseBasic(authorization, realm);
    // Section 2.3: one authentication method per request. A client_id beside Basic is tolerated
    // when it names the same client (authorization_code requests often carry it).
    if (bodySecret !== undefined) {
      throw new OAuth2Error('invalid_request', 'Client credentials were sent both in the Authorization header and in the body.');
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new OAuth2Error('invalid_request', 'The client_id parameter does not match the Authorization header.');
    }
    return basic;
  }
  if (bodySecret !== undefined && bodyId === undefined) throw OAuth2Error.missing('client_id');
  if (bodyId === undefined) return null;
  return bodySecret === undefined
    ? { clientId: bodyId, secret: null, method: 'none' }
    : { clientId: bodyId, secret: bodySecret, method: 'client_secret_post' };
}

function parseBasic(header: string, realm: string): ClientCredentials {
  const match = /^Basic +(\S+) *$/i.exec(header);
  if (!match || !token68.test(match[1])) throw OAuth2Error.invalidClient(realm);
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(match[1], 'base64'));
  } catch {
    throw OAuth2Error.invalidClient(realm);
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw OAuth2Error.invalidClient(realm);
  try {
    const clientId = decodeFormComponent(decoded.slice(0, colon));
    const secret = decodeFormComponent(decoded.slice(colon + 1));
    if (clientId === '') throw OAuth2Error.invalidClient(realm);
    // An empty secret is how a public client fills in Basic: the same as sending only its id.
    return secret === '' ? { clientId, secret: null, method: 'none' } : { clientId, secret, method: 'client_secret_basic' };
  } catch (err) {
    if (err instanceof MalformedEncodingError) throw OAuth2Error.invalidClient(realm);
    throw err;
  }
}

export function isPublicClient(client: Pick<ClientRow, 'secretHash'>): boolean {
  return client.secretHash === null;
}

export type ClientAuthDeps = Pick<GatewayDeps, 'store' | 'hashing' | 'config' | 'clientAuthLimit' | 'clock'>;

/** The secret a rotation replaced, while its grace period lasts (accounts/rotate-secret.ts); else null. */
function previousSecretOf(client: ClientRow | null, now: number): string | null {
  if (!client?.previousSecretHash || client.previousSecretExpiresAt == null) return null;
  return client.previousSecretExpiresAt > now ? client.previousSecretHash : null;
}

/**
 * Checks the credentials against the stored client. Every refusal is the same invalid_client, and an
 * unknown client burns the same scrypt work as a wrong secret, so neither the answer nor its timing
 * tells which client ids exist. A confidential client must present its secret; a public client must
 * not present one.
 *
 * A secret that needs a scrypt is first counted against the client id and the caller's address
 * (429 past either limit, see ClientAuthLimit), and the scrypt runs within the hashing bound (503
 * when it is full). A secret verified for this client moments ago needs no scrypt and is no guess:
 * it is accepted without counting, so a flood that locks a client id out does not stop the client;
 * parallel requests with one secret share one count and one scrypt (ClientAuthLimit.check).
 */
export async function authenticateClient(deps: ClientAuthDeps, credentials: ClientCredentials | null, clientAddress: string): Promise<ClientRow> {
  const { realm } = deps.config.oauth2;
  if (credentials === null) throw OAuth2Error.invalidClient(realm);
  const client = await deps.store.clients.findById(credentials.clientId);
  if (client && client.secretHash === null) {
    if (credentials.secret !== null || !client.enabled) throw OAuth2Error.invalidClient(realm);
    return client;
  }
  const { secret } = credentials;
  if (secret === null) throw OAuth2Error.invalidClient(realm);
  const stored = client?.secretHash ?? null;
  if (client && stored !== null && deps.hashing.knownClientSecret(secret, stored)) {
    if (!client.enabled) throw OAuth2Error.invalidClient(realm);
    return client;
  }

  const previous = previousSecretOf(client, deps.clock());
  if (client && previous !== null && deps.hashing.knownClientSecret(secret, previous)) {
    if (!client.enabled) throw OAuth2Error.invalidClient(realm);
    return client;
  }

  // During a rotation's grace period the old secret still counts: one guess, checked against both.
  const ok = await deps.clientAuthLimit.check(credentials.clientId, secret, clientAddress, async () => {
    if (stored === null) return deps.hashing.verifyAgainstDummy(secret);
    if (await deps.hashing.verifyClientSecret(secret, stored)) return true;
    return previous !== null && deps.hashing.verifyClientSecret(secret, previous);
  });
  if (!ok || !client) throw OAuth2Error.invalidClient(realm);
  if (!client.enabled) throw OAuth2Error.invalidClient(realm);
  return client;
}
