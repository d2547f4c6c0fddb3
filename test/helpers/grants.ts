import { Writable } from 'node:stream';
import { MemoryCache } from '../../src/cache';
import { manualClock } from '../../src/clock';
import { randomToken, tokenDigest } from '../../src/crypto';
import { createLogger, type Logger } from '../../src/http/logger';
import type { Identity } from '../../src/identity';
import { OAuth2Error, type OAuth2ErrorCode } from '../../src/oauth2/errors';
import type { Grant, GrantSubject } from '../../src/oauth2/grants';
import { tokenIssuer, type IssuedTokens, type TokenIssuer } from '../../src/oauth2/issue';
import { configuredLifetimes, type TokenLifetimes } from '../../src/oauth2/lifetimes';
import { TokenParams } from '../../src/oauth2/params';
import { openRevocations, type Revocations, type VerifiedTokenCaches } from '../../src/revocation';
import { openStore } from '../../src/storage';
import type { ClientRow, Store, UserRow } from '../../src/storage/types';
import { client as clientRow, user as userRow } from '../integration/storage.contract-fixtures';
import { tempDataDir, type TempDir } from './sqlite';

// The real collaborators a grant is built over in its unit tests, no server: a SQLite store in a
// temp dir, the token issuer over it, a manual clock, and the revocation feed and channel over a
// memory cache (so a revoked token is seen leaving this process's verified-token cache).

export const LIFETIMES: TokenLifetimes = { accessToken: 3600, refreshToken: 86_400 };
export const START = Date.UTC(2031, 0, 1);

/** One store per test file: tests create their own clients and users in it, so they need no order. */
export function useGrantStore(): { store: Store } {
  const ctx = {} as { store: Store };
  let dir: TempDir | undefined;
  beforeAll(async () => {
    dir = tempDataDir('grants');
    ctx.store = await openStore({ databaseUrl: null, dataDir: dir.dir });
  });
  afterAll(async () => {
    await ctx.store?.close();
    dir?.remove();
  });
  return ctx;
}

/** Log lines written during one test, as text (to check what reached them, and what did not). */
export class LogLines {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor() {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.lines.push(chunk.toString('utf8'));
        done();
      },
    });
    this.logger = createLogger('warn', sink);
  }

  get text(): string {
    return this.lines.join('');
  }
}

export interface GrantWorld {
  store: Store;
  clock: ReturnType<typeof manualClock>;
  issuer: TokenIssuer;
  cache: MemoryCache;
  revocations: Revocations;
  verifiedTokens: VerifiedTokenCaches;
  log: LogLines;
  close(): Promise<void>;
}

/** A fresh clock, cache, revocation feed and log over the file's store. Close it after the test. */
export async function grantWorld(store: Store): Promise<GrantWorld> {
  const clock = manualClock(START);
  const cache = new MemoryCache({ clock });
  const log = new LogLines();
  // The log is read only when a test asks: never on a timer within a test.
  const { revocations, verifiedTokens } = await openRevocations({ log: store.revocationLog, cache, clock, logger: log.logger, pollIntervalMs: 3600_000 });
  return {
    store,
    clock,
    issuer: tokenIssuer(store, configuredLifetimes(LIFETIMES)),
    cache,
    revocations,
    verifiedTokens,
    log,
    async close() {
      await revocations.close();
      await cache.close();
    },
  };
}

/** Opens a world before each test and closes it after. */
export function useGrantWorld(): { world: GrantWorld } & { store: Store } {
  const files = useGrantStore();
  const ctx = {} as { world: GrantWorld; store: Store };
  beforeEach(async () => {
    ctx.store = files.store;
    ctx.world = await grantWorld(files.store);
  });
  afterEach(async () => {
    await ctx.world?.close();
  });
  return ctx;
}

export async function addClient(store: Store, o: Partial<ClientRow> = {}): Promise<ClientRow> {
  const row = clientRow({ secretHash: 'scrypt$confidential', grants: ['authorization_code', 'refresh_token'], scopes: ['read', 'write'], ...o });
  await store.clients.create(row);
  return row;
}

export async function addUser(store: Store, o: Partial<UserRow> = {}): Promise<UserRow> {
  const row = userRow(o);
  await store.users.create(row);
  return row;
}

export function params(values: Record<string, string>): TokenParams {
  return TokenParams.fromPairs(Object.entries(values));
}

/** Runs the grant for a client, as the dispatcher would once the client is authenticated. */
export function run(
  grant: Grant,
  client: ClientRow,
  values: Record<string, string>,
  options: { clientAddress?: string; admit?: (subject: GrantSubject) => Promise<void> } = {},
): Promise<IssuedTokens> {
  return grant.handle({ client, params: params(values), clientAddress: options.clientAddress ?? '192.0.2.1', admit: options.admit });
}

/**
 * An endpoint admission policy that notes whom it was shown and refuses them (as the ClearPass API
 * refuses a subject without API access): a grant must run it before it issues or uses anything up.
 */
export function refusingAdmission() {
  const seen: GrantSubject[] = [];
  const refused = new Error('no API access');
  return {
    seen,
    refused,
    admit: async (subject: GrantSubject): Promise<void> => {
      seen.push(subject);
      throw refused;
    },
  };
}

/** The protocol error a grant refused with (fails the test when it did not refuse with one). */
export async function refusal(attempt: Promise<unknown>): Promise<OAuth2Error> {
  const outcome = await attempt.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(outcome instanceof OAuth2Error)) throw new Error(`expected an OAuth2Error, got ${outcome === null ? 'tokens' : String(outcome)}`);
  return outcome;
}

/** The error code of the refusal, for the common assertion. */
export async function refusedWith(attempt: Promise<unknown>): Promise<OAuth2ErrorCode> {
  return (await refusal(attempt)).error;
}

/** The stored row of an issued access token, by the digest of its value. */
export function accessRow(store: Store, accessToken: string) {
  return store.accessTokens.find(tokenDigest(accessToken));
}

export function refreshRow(store: Store, refreshToken: string) {
  return store.refreshTokens.find(tokenDigest(refreshToken));
}

/**
 * Puts an issued access token in this process's verified-token cache as the bearer check would
 * after a lookup, so a test can see a revocation take it out at once.
 */
export function cacheVerified(world: GrantWorld, issued: IssuedTokens, clientId: string): string {
  const digest = tokenDigest(issued.accessToken);
  const identity: Identity = {
    protocol: 'oauth2',
    userId: issued.userId,
    username: null,
    clientId,
    scopes: issued.scope,
    privileges: [],
    expiresAt: world.clock() + LIFETIMES.accessToken * 1000,
  };
  const cache = world.verifiedTokens.oauth2;
  if (!cache.remember(digest, { ok: true, identity }, cache.lookup())) throw new Error('the verified-token cache refused the token');
  return digest;
}

export { randomToken, tokenDigest };
