import { createHash } from 'node:crypto';
import type { Identity } from '../identity';

/**
 * What one revocation log entry takes back: every credential of a user, of an OAuth 2.0 client or
 * of an OAuth 1.0a consumer, or what one user gave one client or consumer (`user revoke --client`
 * or `--consumer`: the subject is then pairSubject(userId, clientId or consumer key)).
 */
export type RevokedKind = 'user' | 'client' | 'consumer' | 'user-client' | 'user-consumer';

export interface RevokedSubject {
  kind: RevokedKind;
  /** The user id, client_id or consumer key. */
  id: string;
}


export const subjectKey = (kind: string, id: string): string => `${kind}:${id}`;

/**
 * The log's subject for one user and one client or consumer: a digest, as the pair of ids may not
 * fit the subject column, and a digest of both names the pair alone.
 */
export const pairSubject = (userId: string, partyId: string): string => createHash('sha256').update(`${userId}\n${partyId}`).digest('hex');

/**
 * The subjects whose revocation ends a verified credential: its user (if any), its client or
 * consumer, and the pair of both.
 */
export function subjectKeysOf(identity: Pick<Identity, 'protocol' | 'userId' | 'clientId'>): string[] {
  const oauth2 = identity.protocol === 'oauth2';
  const party = subjectKey(oauth2 ? 'client' : 'consumer', identity.clientId);
  if (identity.userId === null) return [party];
  const pair = subjectKey(oauth2 ? 'user-client' : 'user-consumer', pairSubject(identity.userId, identity.clientId));
  return [subjectKey('user', identity.userId), party, pair];
}
