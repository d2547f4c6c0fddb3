import type {
  AccessTokenRow,
  AuthorizationCodeRow,
  CallbackMatch,
  ClientRow,
  ConsentRow,
  ConsumerRow,
  DeviceCodeRow,
  OAuth1AccessTokenRow,
  OAuth1SessionRow,
  ProfileRow,
  RefreshTokenRow,
  RequestTokenRow,
  RevocationLogEntryRow,
  UserRow,
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
}

export interface UserRepository {
  create(user: UserRow): Promise<void>;
  findById(id: string): Promise<UserRow | null>;
  /** Case-insensitive. */
  findByUsername(username: string): Promise<UserRow | null>;
  list(): Promise<UserRow[]>;
  setEnabled(username: string, enabled: boolean): Promise<boolean>;
  setPasswordHash(username: string, passwordHash: string): Promise<boolean>;
}

export interface ConsumerRepository {
  create(consumer: ConsumerRow): Promise<void>;
  findByKey(key: string): Promise<ConsumerRow | null>;
  list(): Promise<ConsumerRow[]>;
  setEnabled(key: string, enabled: boolean): Promise<boolean>;
  /** Registers (or, with null, removes) the callback and its match mode; false for an unknown key. */
  setCallback(key: string, callbackUrl: string | null, callbackMatch: CallbackMatch): Promise<boolean>;
}

export interface ClientRepository {
  create(client: ClientRow): Promise<void>;
  findById(clientId: string): Promise<ClientRow | null>;
  list(): Promise<ClientRow[]>;
  setEnabled(clientId: string, enabled: boolean): Promise<boolean>;
}

export interface ConsentRepository {
  find(userId: string, clientId: string): Promise<ConsentRow | null>;
  /** Adds the scopes to what the user already granted the client. */
  grant(userId: string, clientId: string, scopes: string[], now: number): Promise<void>;
  revoke(userId: string, clientId: string): Promise<void>;
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
   * write, on PostgreSQL the batched token rows (see README, "Token issuance").
   */
  commitStats(): CommitStats;
  close(): Promise<void>;
}

export interface CommitStats {
  commits: number;
  writes: number;
}

/** A unique constraint refused a row (duplicate username, client id, ...). */
export class DuplicateError extends Error {
  constructor(readonly what: string) {
    super(`${what} already exists`);
    this.name = 'DuplicateError';
  }
}
