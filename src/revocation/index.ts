import type { Cache } from '../cache/types';
import type { Clock } from '../clock';
import type { Logger } from '../http/logger';
import { VerifiedTokens } from '../oauth1/verified-tokens';
import { newVerificationState, type VerificationState } from '../oauth2/revocation';
import type { RevocationLogRepository } from '../storage/types';
import { RevocationFeed } from './feed';

export { RevocationFeed, REVOCATION_LOG_CHANNEL } from './feed';
export { subjectKeysOf, type RevokedKind, type RevokedSubject } from './subjects';

/** The credentials this process verified and keeps in memory, per protocol. */
export interface VerifiedTokenCaches {
  oauth2: VerificationState;
  oauth1: VerifiedTokens;
}

export interface Revocations {
  revocations: RevocationFeed;
  verifiedTokens: VerifiedTokenCaches;
}

/**
 * The revocation log as this node follows it, and the verified-token caches that consult it.
 * Started before the node answers a request (so nothing is cached from before its starting
 * position); close with `revocations.close()`.
 */
export async function openRevocations(options: { log: RevocationLogRepository; cache: Cache; clock: Clock; logger: Logger }): Promise<Revocations> {
  const revocations = new RevocationFeed(options);
  await revocations.start();
  return {
    revocations,
    verifiedTokens: { oauth2: newVerificationState(), oauth1: new VerifiedTokens(options, revocations) },
  };
}
