import type {
  AccessTokenRow,
  AuthorizationCodeRow,
  CallbackMatch,
  ClientRow,
  ConsentRow,
  ConsumerLinkRow,
  ConsumerRow,
  DeviceCodeRow,
  OAuth1AccessTokenRow,
  OAuth1SessionRow,
  ProfileRow,
  RefreshTokenRow,
  RequestTokenRow,
  RevocationLogEntryRow,
  AuditEntryRow,
  AuditSource,
  UserGrantRows,
  UserRow,
  NewUserRow,
  DirectoryFields,
  SigningKeyRow,
  ProfileFields,
  ClientOidcFields,
} from './rows';

export type * from './rows';

// The narrow storage interface every protocol module talks to. One implementation (TypeORM) serves
// SQLite and PostgreSQL; one contract suite tests it on both. It takes and returns the plain rows
// of ./rows.ts, never TypeORM entities. Times are epoch milliseconds.
// "Atomic" methods are single conditional UPDATEs: they return true only for the one caller that won.

export interface ProfileRepository {
  create(profile: ProfileRow): Promise<void>;
  findById(id: string): Promise<ProfileRow | null>;
  findByName(name: string): Promise<ProfileRow | null>;
  list(): Promise<ProfileRow[]>;
  /** Compare-and-set on the version (admin API If-Match): false when the row changed or is gone. */
  update(id: string, version: number, changes: Pick<ProfileRow, 'privileges'>): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** How many users, clients and consumers name the profile (a profile in use is not deleted). */
  usage(id: string): Promise<number>;
}

export interface UserRepository {
  create(user: NewUserRow): Promise<void>;
  findById(id: string): Promise<UserRow | null>;
  /** Case-insensitive. */
  findByUsername(username: string): Promise<UserRow | null>;
  list(): Promise<UserRow[]>;
  setEnabled(username: string, enabled: boolean): Promise<boolean>;
  setPasswordHash(username: string, passwordHash: string): Promise<boolean>;
  /** An LDAP user's profile, display name and email, as its directory says at this login; false for an unknown id. */
  updateFromDirectory(id: string, fields: DirectoryFields): Promise<boolean>;
  /** Compare-and-set on the version (admin API If-Match). */
  update(id: string, version: number, changes: Partial<Pick<UserRow, 'profileId'>>): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** A local user's name and email (OpenID Connect profile and email claims); false for an unknown username. */
  setProfileFields(username: string, fields: ProfileFields): Promise<boolean>;
}

export interface ConsumerRepository {
  create(consumer: ConsumerRow): Promise<void>;
  findByKey(key: string): Promise<ConsumerRow | null>;
  list(): Promise<ConsumerRow[]>;
  setEnabled(key: string, enabled: boolean): Promise<boolean>;
  /** Registers (or, with null, removes) the callback and its match mode; false for an unknown key. */
  setCallback(key: string, callbackUrl: string | null, callbackMatch: CallbackMatch): Promise<boolean>;
  /** Compare-and-set on the version (admin API If-Match). */
  update(key: string, version: number, changes: ConsumerChanges): Promise<boolean>;
  /** A new sealed secret; the previous one stays accepted until `previous.expiresAt` (or, with null, not at all). */
  setSecret(key: string, secretEnc: string, previous?: { secretEnc: string; expiresAt: number } | null): Promise<boolean>;
  delete(key: string): Promise<boolean>;
}

export type ConsumerChanges = Partial<Pick<ConsumerRow, 'name' | 'callbackUrl' | 'callbackMatch' | 'xauth' | 'profileId' | 'accessTtl'>>;
export type ClientChanges = Partial<Pick<ClientRow, 'name' | 'redirectUris' | 'scopes' | 'accessTtl' | 'refreshTtl' | 'codeTtl' | 'profileId'>>;

export interface ClientRepository {
  create(client: ClientRow): Promise<void>;
  findById(clientId: string): Promise<ClientRow | null>;
  list(): Promise<ClientRow[]>;
  setEnabled(clientId: string, enabled: boolean): Promise<boolean>;
  /** Compare-and-set on the version (admin API If-Match). */
  update(clientId: string, version: number, changes: ClientChanges): Promise<boolean>;
  /** A new secret hash; the previous one stays accepted until `previous.expiresAt` (or at once not at all, with null). */
  setSecret(clientId: string, secretHash: string, previous: { hash: string; expiresAt: number } | null): Promise<boolean>;
  delete(clientId: string): Promise<boolean>;
  /** The client's OpenID Connect settings (ID token algorithm, access token format, post-logout URIs); false for an unknown id. */
  setOidcFields(clientId: string, fields: Partial<ClientOidcFields>): Promise<boolean>;
}

export interface ConsentRepository {
  find(userId: string, clientId: string): Promise<ConsentRow | null>;
  /** Adds the scopes to what the user already granted the client. */
  grant(userId: string, clientId: string, scopes: string[], now: number): Promise<void>;
  revoke(userId: string, clientId: string): Promise<void>;
  listByUser(userId: string): Promise<ConsentRow[]>;
}

export interface RequestTokenRepository {
  insert(token: RequestTokenRow): Promise<void>;
  find(digest: string): Promise<RequestTokenRow | null>;
  /** Atomic: only an unexpired token not yet authorized, denied or used; a token is authorized once, by one user. */
  authorize(digest: string, userId: string, verifierDigest: string, now: number): Promise<boolean>;
  /** Atomic: same conditions as authorize. */
  deny(digest: string, now: number): Promise<boolean>;
  /** Atomic: only an authorized, unexpired, unused token. */
  consume(digest: string, now: number): Promise<boolean>;
}

export interface OAuth1SessionRepository {
  insert(session: OAuth1SessionRow): Promise<void>;
  find(handleDigest: string): Promise<OAuth1SessionRow | null>;
  revoke(handleDigest: string, now: number): Promise<boolean>;
}

export interface OAuth1AccessTokenRepository {
  insert(token: OAuth1AccessTokenRow): Promise<void>;
  find(digest: string): Promise<OAuth1AccessTokenRow | null>;
  /** Atomic: true only for the caller that revoked a live token (refresh uses it to retire the old token). */
  revoke(digest: string, now: number): Promise<boolean>;
  /** Revokes every token of a session; returns the digests it revoked. */
  revokeBySession(sessionDigest: string, now: number): Promise<string[]>;
}

export interface AuthorizationCodeRepository {
  insert(code: AuthorizationCodeRow): Promise<void>;
  find(digest: string): Promise<AuthorizationCodeRow | null>;
  /** Atomic single use. */
  consume(digest: string, now: number): Promise<boolean>;
}

export interface AccessTokenRepository {
  insert(token: AccessTokenRow): Promise<void>;
  find(digest: string): Promise<AccessTokenRow | null>;
  revoke(digest: string, now: number): Promise<boolean>;
  /** Returns the digests it revoked (to evict them from caches). */
  revokeFamily(familyId: string, now: number): Promise<string[]>;
  revokeByCode(codeDigest: string, now: number): Promise<string[]>;
}

export interface RefreshTokenRepository {
  insert(token: RefreshTokenRow): Promise<void>;
  find(digest: string): Promise<RefreshTokenRow | null>;
  /** Atomic: marks a live, unrotated token as used; false means replay or a lost race. */
  rotate(digest: string, now: number): Promise<boolean>;
  revokeFamily(familyId: string, now: number): Promise<number>;
}

export interface DeviceCodeRepository {
  insert(code: DeviceCodeRow): Promise<void>;
  find(digest: string): Promise<DeviceCodeRow | null>;
  /** By the normalised user code (upper case, no dash). */
  findByUserCode(userCode: string): Promise<DeviceCodeRow | null>;
  /** Atomic: pending and unexpired only. */
  approve(digest: string, userId: string, now: number): Promise<boolean>;
  deny(digest: string, now: number): Promise<boolean>;
  /** Records a poll; returns the previous poll time (null on the first poll). */
  recordPoll(digest: string, now: number): Promise<number | null>;
  setInterval(digest: string, interval: number): Promise<void>;
  /** Atomic single use of an approved code. */
  consume(digest: string, now: number): Promise<boolean>;
}

export interface SettingRepository {
  get(name: string): Promise<string | null>;
  /** Stores the value unless the name has one already (the first writer wins; read it back to see which). */
  putIfAbsent(name: string, value: string, now: number): Promise<void>;
  /** Stores the value, replacing any earlier one. */
  put(name: string, value: string, now: number): Promise<void>;
}

/** The OpenID provider's signing keys (src/oidc/keys.ts decides which one signs and which are published). */
export interface SigningKeyRepository {
  /** Every key, oldest first. */
  list(): Promise<SigningKeyRow[]>;
  insert(row: SigningKeyRow): Promise<void>;
  /** False for an unknown kid. */
  update(kid: string, fields: Partial<Pick<SigningKeyRow, 'state' | 'activatedAt' | 'retiredAt' | 'maxTokenLifetime'>>): Promise<boolean>;
  remove(kid: string): Promise<void>;
}

/** Every value sealed with the secret key (OAuth 1.0a consumer and token secrets). */
export interface SealedSecretRepository {
  /** One stored sealed value, or null when there is none (to test a key against). */
  sample(): Promise<string | null>;
  /**
   * Replaces every sealed value with reseal(value); returns how many. All or nothing only inside
   * transaction(): a reseal that throws there leaves every value as it was.
   */
  resealAll(reseal: (sealed: string) => string): Promise<number>;
}

/**
 * Everything an account was given, taken back in the database: tokens and refresh families, OAuth
 * 1.0a tokens and sessions, unused authorization codes and approvals, remembered consents (and for
 * a user, browser sign-ins). Returns how many rows changed. Run it in the transaction that changes
 * the account, with the revocation log entry that tells the running nodes.
 */
export interface GrantRepository {
  revokeUser(userId: string, now: number): Promise<number>;
  revokeClient(clientId: string, now: number): Promise<number>;
  revokeConsumer(consumerKey: string, now: number): Promise<number>;
  /**
   * Brings the end of the consumer's live OAuth 1.0a access tokens, sessions and unused request
   * tokens forward to `at` (those ending sooner keep their end): what a rotated secret's grace
   * period leaves them. Returns how many rows changed.
   */
  endConsumerAt(consumerKey: string, at: number): Promise<number>;
}

/** The revocation log (see RevocationLogEntryRow): appended by whoever revokes, read by every node. */
export interface RevocationLogRepository {
  /**
   * Appends an entry and returns its sequence number. Entries become visible in sequence order, so
   * a reader that has seen number n has seen every entry up to n. Inside transaction() the entry
   * commits (and becomes visible) with the rest.
   */
  append(entry: Omit<RevocationLogEntryRow, 'seq'>): Promise<number>;
  /** Entries with a sequence number above `seq`, oldest first, at most `limit`. */
  after(seq: number, limit: number): Promise<RevocationLogEntryRow[]>;
  /** The highest sequence number written so far (0 for none). */
  last(): Promise<number>;
}

/** The migration bridge's consumer-to-client links (src/oauth2/token-exchange). */
export interface ConsumerLinkRepository {
  find(consumerKey: string): Promise<ConsumerLinkRow | null>;
  list(): Promise<ConsumerLinkRow[]>;
  /** Links the consumer to the client, replacing an earlier link. */
  link(row: ConsumerLinkRow): Promise<void>;
  /** False when the consumer was not linked. */
  unlink(consumerKey: string): Promise<boolean>;
}

/**
 * One user's grants across protocols: listed for `user grants`, and taken back for one OAuth 2.0
 * client or one OAuth 1.0a consumer (GrantRepository.revokeUser takes back all of them). Returns
 * how many rows changed; run it with the revocation log entry that tells the running nodes.
 */
export interface UserGrantRepository {
  listUser(userId: string, now: number): Promise<UserGrantRows>;
  revokeUserClient(userId: string, clientId: string, now: number): Promise<number>;
  revokeUserConsumer(userId: string, consumerKey: string, now: number): Promise<number>;
  /** The live grants one OAuth 2.0 client or OAuth 1.0a consumer holds, across users, oldest first, at most `limit`. */
  listParty(party: { clientId: string } | { consumerKey: string }, now: number, limit: number): Promise<PartyGrantRow[]>;
  /**
   * Takes back one grant of the user (nothing of another user's, whatever the key). Returns how many
   * rows changed and the digests of the access tokens it ended that had not expired yet: each needs
   * a revocation log entry, written in the same transaction, for the nodes that cache them.
   */
  revokeUserGrant(userId: string, grant: OneGrant, now: number): Promise<{ changed: number; digests: string[] }>;
}

/** One grant of a user, by the key of its row(s). */
export type OneGrant =
  | { kind: 'token_family'; familyId: string }
  | { kind: 'access_token'; digest: string }
  | { kind: 'oauth1_session'; handleDigest: string }
  | { kind: 'device_grant'; digest: string }
  | { kind: 'consent'; clientId: string };

/** One live grant of a client or consumer (the admin API's per-client listing); userId null for a client's own token. */
export interface PartyGrantRow {
  kind: 'oauth1_session' | 'token_family' | 'access_token';
  /** The family id, the access token's digest or the session handle's digest (a grant id is derived from it). */
  key: string;
  userId: string | null;
  scope: string;
  createdAt: number;
  expiresAt: number;
}

export interface AuditPageQuery {
  /** Entries with a lower sequence number than this (the page cursor); absent: from the newest. */
  before?: number;
  limit: number;
  operation?: string;
  actor?: string;
  targetKind?: string;
  target?: string;
  source?: AuditSource;
}

/** The admin audit log, appended on every change and read newest first. */
export interface AuditLogRepository {
  /** Without a source, the entry is the admin API's (the column's default). */
  append(entry: Omit<AuditEntryRow, 'seq' | 'source'> & { source?: AuditSource }): Promise<number>;
  page(query: AuditPageQuery): Promise<AuditEntryRow[]>;
}

/** The repositories, bound to one connection or one transaction. */
export interface Repositories {
  profiles: ProfileRepository;
  users: UserRepository;
  consumers: ConsumerRepository;
  clients: ClientRepository;
  consents: ConsentRepository;
  requestTokens: RequestTokenRepository;
  oauth1Sessions: OAuth1SessionRepository;
  oauth1AccessTokens: OAuth1AccessTokenRepository;
  authorizationCodes: AuthorizationCodeRepository;
  accessTokens: AccessTokenRepository;
  refreshTokens: RefreshTokenRepository;
  deviceCodes: DeviceCodeRepository;
  settings: SettingRepository;
  sealedSecrets: SealedSecretRepository;
  grants: GrantRepository;
  revocationLog: RevocationLogRepository;
  consumerLinks: ConsumerLinkRepository;
  userGrants: UserGrantRepository;
  auditLog: AuditLogRepository;
  signingKeys: SigningKeyRepository;
}

export interface Store extends Repositories {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs fn in one transaction. On SQLite it is a savepoint in the group commit's batch, never nested or busy. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Deletes rows whose lifetime ended before `now`; returns how many (what each table keeps longer: sweep.ts). */
  sweepExpired(now: number): Promise<number>;
  ping(): Promise<boolean>;
  /**
   * How many commits the group-commit writer made and how many writes they held: on SQLite every
   * write, on PostgreSQL the batched token rows and the batches of units of work (see README, "Token issuance").
   */
  commitStats(): CommitStats;
  /**
   * Hears how long each commit took (a group-commit batch from BEGIN to COMMIT, a PostgreSQL
   * multi-row token INSERT) and whether it committed; null stops it. Set by the runtime that
   * serves the store (the metrics), so the storage layer knows nothing of them. One observer.
   */
  observeCommits(observer: CommitObserver | null): void;
  close(): Promise<void>;
}

/** One commit of the store: its duration in seconds and whether it committed. */
export type CommitObserver = (seconds: number, ok: boolean) => void;

export interface CommitStats {
  commits: number;
  writes: number;
  /** Writes handed to the store and not yet answered (queued, or in a batch not yet committed). */
  waiting: number;
}

/** A unique constraint refused a row (duplicate username, client id, ...). */
export class DuplicateError extends Error {
  constructor(readonly what: string) {
    super(`${what} already exists`);
    this.name = 'DuplicateError';
  }
}
