import type { Context } from './http/context';

/**
 * Who is calling, as established by a verified OAuth 1.0a signature or OAuth 2.0 bearer token. The
 * gateway turns it into X-Authenticated-* headers for the upstream.
 */
export interface Identity {
  protocol: 'oauth1' | 'oauth2';
  /** The resource owner; null for client_credentials tokens. */
  userId: string | null;
  username: string | null;
  /** OAuth 1.0a consumer key or OAuth 2.0 client_id. */
  clientId: string;
  /** OAuth 2.0 scopes (empty for OAuth 1.0a). */
  scopes: string[];
  /** From the user's profile, or the client's profile for client_credentials (ClearPass). */
  privileges: string[];
  /** Epoch ms when the credential expires: caches must not outlive it. */
  expiresAt: number;
  /** The configured name of the external authorization server that issued the token (src/issuers/); absent for the gateway's own. */
  issuer?: string;
}

/**
 * One protocol's check of a request's credentials, for protected routes: null when the request
 * carries no credential of its kind (so another protocol's check may try), the caller's identity
 * when it carries a good one, and that protocol's error when it carries a bad one.
 */
export type CredentialCheck = (ctx: Context) => Promise<Identity | null>;
