import { createHash } from 'node:crypto';
import type { OneGrant } from '../storage/types';

// A grant's id in listings and in `DELETE /users/{username}/grants/{grant_id}`: derived from the key
// of its row (a family id, a token's or session handle's digest, a client_id), never that key itself,
// so a listing hands out no value the gateway looks credentials up by. Stable for as long as the
// grant lives; the kind is readable in its prefix.

export type GrantKind = OneGrant['kind'];

const PREFIX: Record<GrantKind, string> = { oauth1_session: 'os', token_family: 'tf', access_token: 'at', device_grant: 'dg', consent: 'co' };

/** `tf_` and 32 hex digits (128 bits of SHA-256): the same key always gives the same id. */
export function grantId(kind: GrantKind, key: string): string {
  return `${PREFIX[kind]}_${createHash('sha256').update(`${kind}\n${key}`).digest('hex').slice(0, 32)}`;
}

/** What a grant id may look like (anything else is refused before the user's grants are read). */
export const GRANT_ID_PATTERN = /^(os|tf|at|dg|co)_[0-9a-f]{32}$/;

/** The grant of the row this key names, as the repository takes it back. */
export function oneGrant(kind: GrantKind, key: string): OneGrant {
  switch (kind) {
    case 'token_family':
      return { kind, familyId: key };
    case 'oauth1_session':
      return { kind, handleDigest: key };
    case 'consent':
      return { kind, clientId: key };
    default:
      return { kind, digest: key };
  }
}
