import type { ClientRow } from '../storage/types';

// The authorization code row as the authorization endpoint writes it (authorize/grant-response.ts)
// and the authorization_code grant reads it (grants/authorization-code.ts): the conventions both
// sides must share.

/** RFC 6749 section 4.1.2 recommends ten minutes at most; a client may be given less. */
const MAX_CODE_LIFETIME_SECONDS = 600;

export function codeLifetime(client: Pick<ClientRow, 'codeTtl'>, configured: number): number {
  return Math.min(client.codeTtl ?? configured, MAX_CODE_LIFETIME_SECONDS);
}

/**
 * What the code row keeps as its redirect URI: the one the request named, or '' when it named none
 * (the single registered URI was used). The token request must repeat a named one (section 4.1.3),
 * so the row has to remember whether there was one.
 */
export const UNNAMED_REDIRECT_URI = '';
