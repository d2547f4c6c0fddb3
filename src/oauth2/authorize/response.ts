import type { AuthorizationError } from './errors';
import type { ResponseType } from './request';

// Authorization responses (RFC 6749 sections 4.1.2 and 4.2.2) as redirect URIs. Pure functions.
// Every response, errors included, carries `iss` (RFC 9207) so a client talking to several
// authorization servers can tell which one answered (mix-up attacks).

/** Where a response rides on the redirect URI (OAuth 2.0 Multiple Response Type Encoding Practices). */
export const RESPONSE_MODES = ['query', 'fragment'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];
export type ResponseParams = ReadonlyArray<readonly [string, string]>;

/** The code goes in the query; an implicit token only ever in the fragment (never sent to a server). */
export function responseModeFor(responseType: ResponseType | null): ResponseMode {
  return responseType !== null && responseType !== 'code' ? 'fragment' : 'query';
}

const encode = (pairs: ResponseParams) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/**
 * The redirect URI with the response added. A registered URI may have its own query (section 3.1.2:
 * it must be kept); it never has a fragment (registration refuses one).
 */
export function responseUri(redirectUri: string, mode: ResponseMode, params: ResponseParams): string {
  if (mode === 'fragment') return `${redirectUri}#${encode(params)}`;
  const separator = !redirectUri.includes('?') ? '?' : redirectUri.endsWith('?') || redirectUri.endsWith('&') ? '' : '&';
  return redirectUri + separator + encode(params);
}

/** state (when the request had one) and iss, last, after the response's own parameters. */
function withStateAndIssuer(params: Array<[string, string]>, state: string | null, issuer: string): Array<[string, string]> {
  if (state !== null) params.push(['state', state]);
  params.push(['iss', issuer]);
  return params;
}

export interface ResponseContext {
  redirectUri: string;
  state: string | null;
  issuer: string;
}

export function codeResponse(to: ResponseContext, code: string): string {
  return responseUri(to.redirectUri, 'query', withStateAndIssuer([['code', code]], to.state, to.issuer));
}

export interface ImplicitToken {
  /** Absent for response_type=id_token (OpenID Connect: an ID token only). */
  accessToken?: string;
  expiresIn?: number;
  scope: readonly string[];
  idToken?: string;
}

/** Section 4.2.2: token_type, expires_in and scope beside the token; never a refresh token. OpenID Connect adds id_token. */
export function implicitResponse(to: ResponseContext, token: ImplicitToken): string {
  const params: Array<[string, string]> = [];
  if (token.accessToken !== undefined) {
    params.push(['access_token', token.accessToken], ['token_type', 'Bearer'], ['expires_in', String(token.expiresIn)]);
  }
  if (token.idToken !== undefined) params.push(['id_token', token.idToken]);
  if (token.scope.length > 0) params.push(['scope', token.scope.join(' ')]);
  return responseUri(to.redirectUri, 'fragment', withStateAndIssuer(params, to.state, to.issuer));
}

export function errorResponse(to: ResponseContext, mode: ResponseMode, error: AuthorizationError): string {
  const params: Array<[string, string]> = [
    ['error', error.error],
    ['error_description', error.description],
  ];
  return responseUri(to.redirectUri, mode, withStateAndIssuer(params, to.state, to.issuer));
}
