import type { GatewayDeps } from '../deps';
import type { Identity } from '../identity';
import { errorSummary } from '../http/errors';
import { BoundedMap } from '../cache/bounded-map';

/** The pub/sub channel on which every gateway node hears about revoked access tokens (by digest). */
export const REVOCATION_CHANNEL = 'oauth2:revocations';

const MAX_CACHED_TOKENS = 10_000;
const RETRY_SUBSCRIBE_MS = 5_000;

/** A verified token's identity, and the revocation log position it was verified at. */
export interface CachedVerification {
  identity: Identity;
  seen: number;
}

/**
 * The verified-token cache of one gateway (built by the runtime, held in GatewayDeps) and the
 * subscription that keeps it honest about single tokens revoked on other nodes. Revocations of a
 * whole user or client come from the revocation log (deps.revocations).
 */
export interface VerificationState {
  readonly tokens: BoundedMap<CachedVerification>;
  /** Bumped on every eviction: a lookup that raced a revocation must not cache its (stale) result. */
  epoch: number;
  /** True once revocations from other nodes reach this one; nothing is cached before that. */
  listening: boolean;
  attempt: Promise<boolean> | null;
  lastFailure: number;
}

export function newVerificationState(): VerificationState {
  return { tokens: new BoundedMap(MAX_CACHED_TOKENS), epoch: 0, listening: false, attempt: null, lastFailure: -Infinity };
}

export function verificationState(deps: Pick<GatewayDeps, 'verifiedTokens'>): VerificationState {
  return deps.verifiedTokens.oauth2;
}

function evict(state: VerificationState, digests: readonly string[]): void {
  state.epoch += 1;
  for (const digest of digests) state.tokens.delete(digest);
}

/**
 * Subscribes this instance to revocations. createApp calls it (through oauth2Routers) at start; the
 * verifier calls it again after a failure, at most every few seconds. Resolves to whether revocations
 * are now heard. Never throws: without the subscription the verifier still works, it just doesn't cache.
 */
export function startRevocationListener(deps: GatewayDeps): Promise<boolean> {
  const state = verificationState(deps);
  if (state.listening) return Promise.resolve(true);
  if (state.attempt) return state.attempt;
  if (deps.clock() - state.lastFailure < RETRY_SUBSCRIBE_MS) return Promise.resolve(false);
  state.attempt = deps.cache
    .subscribe(REVOCATION_CHANNEL, (digest) => {
      if (/^[0-9a-f]{64}$/.test(digest)) evict(state, [digest]);
    })
    .then(
      () => {
        state.listening = true;
        return true;
      },
      (err: unknown) => {
        state.lastFailure = deps.clock();
        deps.logger.warn({ err: errorSummary(err) }, 'cannot subscribe to token revocations: verified tokens are not cached until it works');
        return false;
      },
    )
    .finally(() => {
      state.attempt = null;
    });
  return state.attempt;
}

/**
 * Makes revoked access tokens unusable: at once in this process, and on every other node through
 * pub/sub. The database already says revoked; a failed publish only means other nodes may keep a
 * cached copy until it expires (at most a minute), so it is logged, not thrown.
 */
export async function announceRevocation(deps: GatewayDeps, digests: readonly string[]): Promise<void> {
  if (digests.length === 0) return;
  evict(verificationState(deps), digests);
  for (const digest of digests) {
    try {
      await deps.cache.publish(REVOCATION_CHANNEL, digest);
    } catch (err) {
      deps.logger.warn({ err: errorSummary(err) }, 'could not announce a token revocation to other nodes');
    }
  }
}
