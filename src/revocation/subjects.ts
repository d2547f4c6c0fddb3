import { createHash } from 'node:crypto';
import type { Identity } from '../identity';

/**
 * What one revocation log entry takes back: every credential of a user, of an OAuth 2.0 client or
 * of an OAuth 1.0a consumer, or what one user gave one client or consumer (`user revoke --client`
 * or `--consumer`: the subject is then pairSubject(userId, clientId or consumer key)), or one
 * access token of either protocol (`token`: the subject is its SHA-256 digest, as on the channel;
 * one grant revoked, a refresh family or an OAuth 1.0a session, is an entry per live access token).
 */
export type RevokedKind = 'user' | 'client' | 'consumer' | 'user-client' | 'user-consumer' | 'token';

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
 * consumer, the pair of both, and (given its digest) the credential itself.
 */
export function subjectKeysOf(identity: Pick<Identity, 'protocol' | 'userId' | 'clientId'>, digest?: string): string[] {
  const oauth2 = identity.protocol === 'oauth2';
  const party = subjectKey(oauth2 ? 'client' : 'consumer', identity.clientId);
  const token = digest === undefined ? [] : [subjectKey('token', digest)];
  if (identity.userId === null) return [party, ...token];
  const pair = subjectKey(oauth2 ? 'user-client' : 'user-consumer', pairSubject(identity.userId, identity.clientId));
  return [subjectKey('user', identity.userId), party, pair, ...token];
}
