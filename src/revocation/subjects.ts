import type { Identity } from '../identity';

/**
 * What one revocation log entry takes back: every credential of a user, of an OAuth 2.0 client or
 * of an OAuth 1.0a consumer.
 */
export type RevokedKind = 'user' | 'client' | 'consumer';

export interface RevokedSubject {
  kind: RevokedKind;
  /** The user id, client_id or consumer key. */
  id: string;
}


export const subjectKey = (kind: string, id: string): string => `${kind}:${id}`;

/** The subjects whose revocation ends a verified credential: its user (if any) and its client or consumer. */
export function subjectKeysOf(identity: Pick<Identity, 'protocol' | 'userId' | 'clientId'>): string[] {
  const party = subjectKey(identity.protocol === 'oauth2' ? 'client' : 'consumer', identity.clientId);
  return identity.userId === null ? [party] : [subjectKey('user', identity.userId), party];
}
