import type { RefreshTokenRow } from '../storage/types';

/**
 * What presenting a refresh token amounts to (RFC 9700 section 4.14.2, with a grace period):
 * - `rotate`: a live, unused token: retire it and issue its successor;
 * - `sibling`: a token its own client already rotated less than `graceMs` ago: most likely the same
 *   client sent it twice at once (two tabs, a retry, two nodes racing), so it gets another pair in
 *   the same family instead of killing the pair the first use produced;
 * - `replay`: rotated longer ago (or the grace is 0): somebody else holds a copy; revoke the family;
 * - `invalid`: unknown, another client's, expired or revoked.
 * Pure: the row comes from the database (so the rule holds across nodes), the time from the clock.
 */
export type RefreshUse = 'rotate' | 'sibling' | 'replay' | 'invalid';

export function refreshUse(row: RefreshTokenRow | null, clientId: string, now: number, graceMs: number): RefreshUse {
  if (!row || row.clientId !== clientId || row.revokedAt !== null || row.expiresAt <= now) return 'invalid';
  if (row.rotatedAt === null) return 'rotate';
  // A rotation another node stamped with a clock slightly ahead counts as "just now" (negative age).
  return now - row.rotatedAt < graceMs ? 'sibling' : 'replay';
}
