import type { ConsumerRow, OAuth1AccessTokenRow } from '../../storage/types';

// RFC 8693 token exchange: the token type identifiers the gateway speaks (section 3), its own for
// OAuth 1.0a access tokens (the migration bridge), and what a grant is told of an OAuth 1.0a signature.

export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The name a client is registered with for it (ClientRow.grants), also kept on the tokens it issues. */
export const TOKEN_EXCHANGE_GRANT_NAME = 'token_exchange';

/** RFC 8693 section 3: an OAuth 2.0 access token issued by this authorization server. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * The gateway's own token type identifier for an OAuth 1.0a access token (RFC 8693 section 3 lets a
 * server define URIs of its own): presented as subject_token in a request signed with it by its
 * consumer, which proves possession of the token secret.
 */
export const OAUTH1_ACCESS_TOKEN_TYPE = 'urn:oauth-gateway:params:oauth:token-type:oauth1-access-token';

/** The subject token types the token endpoint takes, as announced in the metadata. */
export const SUBJECT_TOKEN_TYPES: readonly string[] = [ACCESS_TOKEN_TYPE, OAUTH1_ACCESS_TOKEN_TYPE];

/** A verified OAuth 1.0a signature on a token request: the consumer, and the access token it signed with. */
export interface OAuth1Proof {
  consumer: ConsumerRow;
  token: OAuth1AccessTokenRow;
  /** The oauth_token value the request was signed with (compared with subject_token). */
  tokenValue: string;
}

/**
 * The request's OAuth 1.0a signature, verified (nonce spent) on the first call and the same answer
 * after. Given by the token endpoint only: the one place that has the signed request at hand.
 */
export type OAuth1Signature = () => Promise<OAuth1Proof>;
