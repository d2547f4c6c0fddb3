import type { GatewayConfig } from './config';
import type { Store } from './storage/types';
import type { Cache } from './cache/types';
import type { SecretBox } from './crypto/sealed';
import type { SecretHashing } from './crypto/hashing';
import type { Clock } from './clock';
import type { Logger } from './http/logger';
import type { Metrics } from './http/metrics';
import type { Revocations, VerifiedTokenCaches } from './revocation';

/** Everything a router needs, built once at start-up and passed down explicitly. */
export interface GatewayDeps {
  config: GatewayConfig;
  store: Store;
  cache: Cache;
  secrets: SecretBox;
  /** Password and client-secret verification, bounded (a long-lived queue). */
  hashing: SecretHashing;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** The revocation log as this node follows it, and the one channel revocations travel on between nodes. */
  revocations: Revocations;
  /** Credentials this process verified recently (a cache hit touches no database). */
  verifiedTokens: VerifiedTokenCaches;
}
