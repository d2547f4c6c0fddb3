import type { GatewayConfig } from './config';
import type { Store } from './storage/types';
import type { Cache } from './cache/types';
import type { SecretBox } from './crypto/sealed';
import type { SecretHashing } from './crypto/hashing';
import type { Clock } from './clock';
import type { Logger } from './http/logger';
import type { Metrics } from './http/metrics';
import type { OriginConfig } from './http/public-origin';
import type { Lockout } from './accounts/lockout';
import type { ClientAuthLimit } from './oauth2/client-auth-limit';
import type { EntryLimit } from './oauth2/device/entry-limit';
import type { Upstreams } from './gateway/upstreams';
import type { BufferedBodies } from './http/buffered-bodies';
import type { Revocations, VerifiedTokenCaches } from './revocation';
import type { DrainState } from './http/drain-state';
import type { Outages } from './http/outages';
import type { NonceMemory } from './oauth1/nonce-memory';
import type { Issuers } from './issuers';
import type { DirectoryUserStore } from './accounts/ldap';
import type { Tracing } from './tracing';
import type { SigningKeys } from './oidc/keys';

/**
 * Everything a router needs, built once at start-up by the runtime (src/runtime.ts), which also
 * closes what needs closing, and passed down explicitly: nothing long-lived lives anywhere else.
 */
export interface GatewayDeps {
  config: GatewayConfig;
  store: Store;
  cache: Cache;
  secrets: SecretBox;
  /** Password and client-secret verification, bounded (a long-lived queue), with the client-secret success cache. */
  hashing: SecretHashing;
  clock: Clock;
  logger: Logger;
  /** The cheaper logger for lines built only from values safe by construction (access lines, token audit lines). */
  accessLog: Logger;
  metrics: Metrics;
  /** Where requests come from outside: the configured public URL (parsed once) and the trusted proxies. */
  origin: OriginConfig;
  /** Failed password attempts, per username and per address, whatever the channel. */
  lockout: Lockout;
  /** Failed OAuth 2.0 client authentications, per client_id and per address. */
  clientAuthLimit: ClientAuthLimit;
  /** Wrong device user codes, per address. */
  deviceEntryLimit: EntryLimit;
  /** One keep-alive connection pool per upstream. */
  upstreams: Upstreams;
  /** Bytes of request bodies read whole and held at once, across requests (server.bufferedBodiesMaxBytes). */
  bufferedBodies: BufferedBodies;
  /** Set when SIGTERM begins the drain: /readyz answers 503 from then on. */
  drain: DrainState;
  /** The revocation log as this node follows it, and the one channel revocations travel on between nodes. */
  revocations: Revocations;
  /** Credentials this process verified recently (a cache hit touches no database). */
  verifiedTokens: VerifiedTokenCaches;
  /** Database and Redis outages as the log reports them: once when they start, once with a count when they end. */
  outages: Outages;
  /** Whether the shared cache still remembers the OAuth 1.0a nonces spent (a marker key beside them). */
  nonceMemory: NonceMemory;
  /** External authorization servers whose tokens routes may accept (config `issuers`), with their keys and caches. */
  issuers: Issuers;
  /** The LDAP directory as a user store (config `ldap`), or null: local users only. */
  directory: DirectoryUserStore | null;
  /** OpenTelemetry tracing (config `tracing`), or null when it is off: then nothing on the request path traces. */
  tracing: Tracing | null;
  /** The OpenID provider's signing keys (ID tokens, JWT access tokens), shared by every node through the database. */
  signingKeys: SigningKeys;
}
