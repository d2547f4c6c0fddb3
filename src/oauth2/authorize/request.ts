import type { ClientRow } from '../../storage/types';
import { repeatedNames } from '../../http/form';
import { exceedsCap, firstOversized, oversizedDescription, PARAMETER_BYTES } from '../../http/parameter-limits';
import { OAuth2Error } from '../errors';
import { isPkceMethod, isWellFormedChallenge, type PkceMethod } from '../pkce';
import { grantScope, hasScopes, parseScope } from '../scope';
import { AuthorizationError, LocalRefusal } from './errors';
import { parseLoginHint, parseMaxAge, parsePrompt, type Prompt } from './openid-request';

export type { Prompt } from './openid-request';

// RFC 6749 section 4.1.1 / 4.2.1 authorization requests, checked as pure functions of the request's
// parameters and the registered client. Two stages, because they fail differently: until the client
// and its redirect URI are vouched for, nothing may be sent to that URI (section 4.1.2.1), so those
// failures are LocalRefusal (our own page); every later failure is an AuthorizationError that goes
// back to the client.

/** The request's parameters in order, repeats kept (a repeat is an error, not "last wins"). */
export type AuthorizeParams = ReadonlyArray<readonly [string, string]>;

export type AuthorizeClient = Pick<
  ClientRow,
  'clientId' | 'enabled' | 'redirectUris' | 'grants' | 'implicit' | 'scopes' | 'secretHash' | 'allowPlainPkce'
>;

/**
 * The response types the endpoint takes: RFC 6749 section 3.1.1's code and token (implicit), and
 * OpenID Connect's implicit flow (Core section 3.2): id_token, and "id_token token" (the order of the
 * words does not matter, OAuth 2.0 Multiple Response Types section 5).
 */
export const RESPONSE_TYPES = ['code', 'token', 'id_token', 'id_token token'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

/** The response_type value in its one spelling here (words sorted), or null when it is none of ours. */
export function normalizeResponseType(value: string): ResponseType | null {
  const sorted = value.split(' ').filter((w) => w !== '').sort().join(' ');
  return (RESPONSE_TYPES as readonly string[]).includes(sorted) ? (sorted as ResponseType) : null;
}

/** Whether the response type issues at the authorization endpoint (the implicit kinds), so it answers in the fragment. */
export const isImplicit = (responseType: ResponseType | null): boolean => responseType !== null && responseType !== 'code';

/** A request that passed every check: kept in the browser session while the user signs in and decides. */
export interface AuthorizeRequest {
  clientId: string;
  /** Where every response goes. */
  redirectUri: string;
  /** Whether the request named redirect_uri (the token request must repeat it then, section 4.1.3). */
  redirectUriSent: boolean;
  responseType: ResponseType;
  scope: string[];
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: PkceMethod | null;
  prompt: Prompt;
  /** OpenID Connect max_age in seconds (null: not sent): an older sign-in must be repeated. */
  maxAge: number | null;
  /** OpenID Connect login_hint: pre-fills the username on the login page. */
  loginHint: string | null;
  /** OpenID Connect nonce, repeated in the ID token (required for the implicit id_token flows). */
  nonce?: string | null;
  /** OpenID Connect id_token_hint: an ID token of ours naming the user the client expects signed in. */
  idTokenHint?: string | null;
}

export interface ResolvedRedirect {
  redirectUri: string;
  redirectUriSent: boolean;
}

/** Every value of a name; section 3.1: a parameter sent without a value counts as omitted. */
function valuesOf(params: AuthorizeParams, name: string): string[] {
  return params.filter(([n, v]) => n === name && v !== '').map(([, v]) => v);
}

/** The single value of a parameter, or undefined; a repeated parameter is not "single" (null). */
function single(params: AuthorizeParams, name: string): string | undefined | null {
  const present = params.filter(([n]) => n === name);
  if (present.length > 1) return null;
  return valuesOf(params, name)[0];
}

/** The client_id parameter, for the lookup that comes before resolveRedirect (never a lookup of an oversized one). */
export function requestedClientId(params: AuthorizeParams): string {
  const clientId = single(params, 'client_id');
  if (clientId === null) throw new LocalRefusal('client', 'The request names its application more than once.');
  if (clientId === undefined) throw new LocalRefusal('client', 'The request does not say which application is asking.');
  if (exceedsCap('client_id', clientId)) throw new LocalRefusal('client', `The application's identifier is too long (over ${PARAMETER_BYTES.client_id} bytes).`);
  return clientId;
}

/**
 * Stage one: the client exists and is enabled, and redirect_uri is one of its registered URIs by
 * exact string comparison (RFC 9700 section 4.1.3), or omitted while exactly one is registered.
 */
export function resolveRedirect(params: AuthorizeParams, client: AuthorizeClient | null): ResolvedRedirect {
  requestedClientId(params);
  if (!client || !client.enabled) throw new LocalRefusal('client', 'The application that sent you here is not known to this site.');
  const sent = single(params, 'redirect_uri');
  if (sent === null) throw new LocalRefusal('redirect_uri', 'The application sent its return address more than once.');
  if (sent !== undefined && exceedsCap('redirect_uri', sent)) {
    throw new LocalRefusal('redirect_uri', `The return address is too long (over ${PARAMETER_BYTES.redirect_uri} bytes).`);
  }
  if (sent === undefined) {
    if (client.redirectUris.length === 1) return { redirectUri: client.redirectUris[0], redirectUriSent: false };
    throw new LocalRefusal('redirect_uri', 'The application did not say where to return to.');
  }
  if (!client.redirectUris.includes(sent)) {
    throw new LocalRefusal('redirect_uri', 'The application asked to return to an address it has not registered.');
  }
  return { redirectUri: sent, redirectUriSent: true };
}

/** The response_type as far as it can be read: the error response's mode depends on it. */
export function requestedResponseType(params: AuthorizeParams): ResponseType | null {
  const value = single(params, 'response_type');
  return value ? normalizeResponseType(value) : null;
}

// Control characters can't be in a state (RFC 6749 appendix A.5: VSCHAR), and each one would grow
// six-fold in the ticket that carries the request through the sign-in page.
const controlCharacter = /[\x00-\x1f\x7f]/;

/** Whether a state can be accepted, and so echoed: within its cap, without control characters. */
function acceptableState(state: string): boolean {
  return !exceedsCap('state', state) && !controlCharacter.test(state);
}

/** state to echo: unchanged, and only when it is unambiguous and acceptable (never a refused one). */
export function requestedState(params: AuthorizeParams): string | null {
  const state = single(params, 'state');
  return state && acceptableState(state) ? state : null;
}

function responseTypeOf(params: AuthorizeParams, client: AuthorizeClient): ResponseType {
  const value = single(params, 'response_type');
  if (value === undefined || value === null) throw new AuthorizationError('invalid_request', 'Missing parameter: response_type.');
  if (value === 'code') {
    if (!client.grants.includes('authorization_code')) {
      throw new AuthorizationError('unauthorized_client', 'This client may not use the authorization code grant.');
    }
    return value;
  }
  const normalized = normalizeResponseType(value);
  if (normalized !== null && normalized !== 'code') {
    if (!client.implicit) throw new AuthorizationError('unauthorized_client', 'This client may not use the implicit grant.');
    return normalized;
  }
  throw new AuthorizationError('unsupported_response_type', 'This response_type is not supported.');
}

function scopeOf(params: AuthorizeParams, client: AuthorizeClient): string[] {
  try {
    return grantScope(parseScope(single(params, 'scope') ?? undefined), client.scopes);
  } catch (err) {
    if (err instanceof OAuth2Error) throw new AuthorizationError('invalid_scope', err.message);
    throw err;
  }
}

/**
 * RFC 7636 section 4.3/4.4. A missing method means plain (section 4.3), which only a client
 * registered for it may use (RFC 9700 section 2.1.1 wants S256). Public clients must send a
 * challenge: without one a stolen code is as good as a token.
 */
function pkceOf(params: AuthorizeParams, client: AuthorizeClient): { codeChallenge: string | null; codeChallengeMethod: PkceMethod | null } {
  const challenge = single(params, 'code_challenge') ?? undefined;
  const method = single(params, 'code_challenge_method') ?? undefined;
  if (challenge === undefined) {
    if (method !== undefined) throw new AuthorizationError('invalid_request', 'code_challenge_method was sent without code_challenge.');
    if (client.secretHash === null) throw new AuthorizationError('invalid_request', 'A public client must send a PKCE code_challenge.');
    return { codeChallenge: null, codeChallengeMethod: null };
  }
  const chosen = method ?? 'plain';
  if (!isPkceMethod(chosen)) {
    throw new AuthorizationError('invalid_request', 'The code_challenge_method is not supported; use S256.');
  }
  if (chosen === 'plain' && !client.allowPlainPkce) {
    throw new AuthorizationError('invalid_request', 'This client must use code_challenge_method S256.');
  }
  if (!isWellFormedChallenge(challenge)) {
    throw new AuthorizationError('invalid_request', 'The code_challenge must be 43 to 128 unreserved characters.');
  }
  return { codeChallenge: challenge, codeChallengeMethod: chosen };
}

/** Stage two: everything else, once the redirect URI is trusted. */
export function validateAuthorizeRequest(params: AuthorizeParams, client: AuthorizeClient, redirect: ResolvedRedirect): AuthorizeRequest {
  const twice = repeatedNames(params);
  if (twice.length > 0) {
    const names = twice.map((n) => n.replace(/[^A-Za-z0-9_.-]/g, '?').slice(0, 64)).join(', ');
    throw new AuthorizationError('invalid_request', `Repeated parameter: ${names}.`);
  }
  const oversized = firstOversized(params);
  if (oversized) throw new AuthorizationError('invalid_request', oversizedDescription(oversized));
  const state = single(params, 'state');
  if (state && !acceptableState(state)) throw new AuthorizationError('invalid_request', 'The state parameter must not contain control characters.');
  const responseType = responseTypeOf(params, client);
  const scope = scopeOf(params, client);
  const pkce = responseType === 'code' ? pkceOf(params, client) : { codeChallenge: null, codeChallengeMethod: null };
  const nonce = nonceOf(params, responseType, scope);
  return {
    clientId: client.clientId,
    ...redirect,
    responseType,
    scope,
    state: requestedState(params),
    ...pkce,
    prompt: parsePrompt(single(params, 'prompt') ?? undefined),
    maxAge: parseMaxAge(single(params, 'max_age') ?? undefined),
    loginHint: parseLoginHint(single(params, 'login_hint') ?? undefined),
    nonce,
    idTokenHint: single(params, 'id_token_hint') ?? null,
  };
}

/**
 * OpenID Connect Core section 3.1.2.1 / 3.2.2.1: the nonce is passed through to the ID token; the
 * implicit flows must send one (the ID token travels in the browser, the nonce binds it to the
 * client's session), and they need the openid scope (without it there is no ID token to return).
 */
function nonceOf(params: AuthorizeParams, responseType: ResponseType, scope: readonly string[]): string | null {
  const nonce = single(params, 'nonce') ?? null;
  if (nonce !== null && (nonce.length > 512 || controlCharacter.test(nonce))) {
    throw new AuthorizationError('invalid_request', 'The nonce must be at most 512 characters, without control characters.');
  }
  if (responseType.startsWith('id_token')) {
    if (!scope.includes('openid')) throw new AuthorizationError('invalid_scope', 'response_type id_token needs the openid scope.');
    if (nonce === null) throw new AuthorizationError('invalid_request', 'The implicit flow of OpenID Connect requires a nonce.');
  }
  return nonce;
}

/**
 * A request accepted earlier (before a sign-in page) is still one this client may make: the client
 * may have lost a redirect URI, a grant or a scope in between.
 */
export function stillAcceptable(request: AuthorizeRequest, client: AuthorizeClient): boolean {
  if (!client.enabled || !client.redirectUris.includes(request.redirectUri)) return false;
  if (request.responseType === 'code' ? !client.grants.includes('authorization_code') : !client.implicit) return false;
  return hasScopes(client.scopes, request.scope);
}
