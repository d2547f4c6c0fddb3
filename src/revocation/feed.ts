import type { Clock } from '../clock';
import type { Identity } from '../identity';
import type { Logger } from '../http/logger';
import type { RevocationLogRepository } from '../storage/types';
import { subjectKey, subjectKeysOf } from './subjects';

const POLL_INTERVAL_MS = 1000;
const BATCH = 500;
// A revocation is remembered here for longer than any verified credential is kept in memory (a
// minute from its verification, plus the database lookup before it), so every cache entry it could
// concern is checked against it.
const REMEMBER_MS = 2 * 60_000;
const FAILURE_LOG_EVERY_MS = 60_000;

interface Heard {
  seq: number;
  heardAt: number;
}

export interface RevocationFeedOptions {
  log: Pick<RevocationLogRepository, 'after' | 'last'>;
  clock: Clock;
  logger: Logger;
  /** How often the log is read (default: every second); a `log:` message on the revocation channel wakes the feed sooner. */
  pollIntervalMs?: number;
}

/**
 * This node's view of the revocation log. It starts at the log's end (everything before is already
 * in the database rows a verification reads), then reads what was appended, in sequence order,
 * about once a second and whenever the revocation channel (channel.ts) says there is more: so a
 * revocation written by any process (the CLI with or without Redis, another node) reaches this node
 * within about a second.
 *
 * The in-process caches of verified credentials ask it one question: was one of this credential's
 * subjects (its user, client or consumer) revoked after a position (the one the database lookup
 * behind it started at)?
 */
export class RevocationFeed {
  private position = 0;
  private readonly heard = new Map<string, Heard>();
  private started = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private failingSince: number | null = null;
  private lastFailureLog = -Infinity;

  constructor(private readonly options: RevocationFeedOptions) {}

  /** Where the log ends now; then follows it. Throws when the database cannot be read (the node cannot start). */
  async start(): Promise<void> {
    if (this.started) return;
    this.position = await this.options.log.last();
    this.started = true;
    this.timer = setInterval(() => void this.catchUp(), this.options.pollIntervalMs ?? POLL_INTERVAL_MS);
    this.timer.unref();
  }

  /** The sequence number of the last entry read: a credential cached now is current up to it. */
  get seen(): number {
    return this.position;
  }

  /**
   * True when one of the credential's subjects was revoked in an entry after `seen` (a value of
   * this.seen); with the credential's digest, an entry naming that one token counts too.
   */
  revokedAfter(identity: Pick<Identity, 'protocol' | 'userId' | 'clientId'>, seen: number, digest?: string): boolean {
    if (seen >= this.position || this.heard.size === 0) return false;
    return subjectKeysOf(identity, digest).some((key) => (this.heard.get(key)?.seq ?? 0) > seen);
  }

  /** Reads everything appended since the last read. Concurrent calls share one read (and one more after it). */
  catchUp(): Promise<void> {
    if (!this.started || this.closed) return Promise.resolve();
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = this.read().finally(() => {
      this.reading = null;
      if (this.readAgain) {
        this.readAgain = false;
        void this.catchUp();
      }
    });
    return this.reading;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reading?.catch(() => undefined);
  }

  private async read(): Promise<void> {
    try {
      for (;;) {
        const entries = await this.options.log.after(this.position, BATCH);
        const now = this.options.clock();
        for (const entry of entries) {
          this.heard.set(subjectKey(entry.kind, entry.subject), { seq: entry.seq, heardAt: now });
          this.position = entry.seq;
        }
        if (entries.length < BATCH) break;
      }
      this.forgetOld();
      this.recovered();
    } catch (err) {
      this.failed(err);
    }
  }

  private forgetOld(): void {
    const before = this.options.clock() - REMEMBER_MS;
    for (const [key, heard] of this.heard) if (heard.heardAt < before) this.heard.delete(key);
  }

  private failed(err: unknown): void {
    const now = this.options.clock();
    this.failingSince ??= now;
    if (now - this.lastFailureLog < FAILURE_LOG_EVERY_MS) return;
    this.lastFailureLog = now;
    this.options.logger.warn(
      { err: { type: (err as Error)?.name, message: (err as Error)?.message } },
      'cannot read the revocation log: credentials cached here are trusted only until they expire (at most a minute)',
    );
  }

  private recovered(): void {
    if (this.failingSince === null) return;
    this.failingSince = null;
    this.lastFailureLog = -Infinity;
    this.options.logger.info('reading the revocation log again');
  }
}
