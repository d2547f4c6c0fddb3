import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../clock';
import { CacheUnavailableError, type Cache, type GuessCounter } from './types';
import { remainingSeconds, ttlMilliseconds } from './ttl';

/** The memory cache's default bound (config `cache.memoryMaxBytes`). */
export const DEFAULT_MEMORY_MAX_BYTES = 64 * 1024 * 1024;

/**
 * What an entry costs besides its two strings: its Map slot, its order-set slot and the entry object.
 * An estimate on the high side, so the bound holds for what V8 really allocates.
 */
export const ENTRY_OVERHEAD_BYTES = 96;

/** A full sweep looks for expired keys among the pinned ones at most this often while the cache is full. */
const FULL_SWEEP_EVERY_MS = 1000;

export interface MemoryCacheOptions {
  clock?: Clock;
  /** How often expired keys are swept; reads also drop them lazily. */
  sweepIntervalMs?: number;
  /** The most the entries may hold: 2 bytes per UTF-16 code unit of key and value, plus ENTRY_OVERHEAD_BYTES each. */
  maxBytes?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
  bytes: number;
  /**
   * Kept until it expires, never evicted: a single-use claim (a spent nonce) or a guess counter.
   * Forgetting either early would let a replay or another guess through.
   */
  pinned: boolean;
}

const cost = (key: string, value: string) => 2 * (key.length + value.length) + ENTRY_OVERHEAD_BYTES;

function counterValue(entry: Entry | undefined): number {
  if (!entry) return 0;
  if (!/^-?\d+$/.test(entry.value)) throw new TypeError('cache value is not an integer');
  return Number(entry.value);
}

const full = () => new CacheUnavailableError(new Error('memory cache is full'));

/**
 * The single-node cache: a Map with expiry times read from the injected clock, and in-process
 * pub/sub. It mirrors Redis where callers could tell the difference: values are strings, counters
 * are stored as decimal strings, and messages are delivered asynchronously, never inside publish().
 *
 * It holds at most maxBytes. When a write needs room, ordinary entries (set) go first, least
 * recently used first; claims (setIfAbsent) and counters (increment, countAttempt) are kept until
 * they expire. When only dropping a live one of those would make room, the write fails with
 * CacheUnavailableError (503): refusing a new nonce is safe, forgetting a spent one is not.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  readonly maxBytes: number;
  private heldBytes = 0;
  private readonly entries = new Map<string, Entry>();
  /** Keys of ordinary entries, least recently used first: the eviction order. */
  private readonly recency = new Set<string>();
  /** Keys of pinned entries in the order written: for entries of one TTL, the order they expire. */
  private readonly pinned = new Set<string>();
  private lastFullSweep = Number.NEGATIVE_INFINITY;
  private readonly channels = new EventEmitter();
  private readonly clock: Clock;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MEMORY_MAX_BYTES;
    if (!Number.isSafeInteger(this.maxBytes) || this.maxBytes < 1) throw new RangeError('maxBytes must be a positive whole number');
    this.clock = options.clock ?? systemClock;
    this.channels.setMaxListeners(0);
    // unref: a forgotten cache must not keep the process (or a test worker) alive.
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
  }

  /** Number of keys held, expired ones included until a read or a sweep drops them. */
  get size(): number {
    return this.entries.size;
  }

  /** What the entries hold, as counted against maxBytes. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Drops every expired key now; the interval calls this, tests may too. */
  sweep(): void {
    const now = this.clock();
    this.lastFullSweep = now;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.remove(key, entry);
    }
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.assertOpen();
    const ms = ttlMilliseconds(ttlSeconds);
    if (this.live(key)) return false;
    this.write(key, value, this.clock() + ms, true);
    return true;
  }

  async get(key: string): Promise<string | null> {
    this.assertOpen();
    const entry = this.live(key);
    if (!entry) return null;
    if (!entry.pinned) {
      this.recency.delete(key);
      this.recency.add(key);
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.assertOpen();
    this.write(key, value, this.clock() + ttlMilliseconds(ttlSeconds), false);
  }

  async delete(key: string): Promise<boolean> {
    this.assertOpen();
    const entry = this.live(key);
    if (entry) this.remove(key, entry);
    return entry !== undefined;
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    this.assertOpen();
    const ms = ttlMilliseconds(ttlSeconds);
    const entry = this.live(key);
    const count = counterValue(entry) + 1;
    // The window keeps the expiry of its first increment, as in Redis.
    this.write(key, String(count), entry ? entry.expiresAt : this.clock() + ms, true);
    return count;
  }

  async countAttempt(counters: readonly GuessCounter[], windowSeconds: number): Promise<number | null> {
    this.assertOpen();
    const ms = ttlMilliseconds(windowSeconds);
    const now = this.clock();
    const current = counters.map(({ key, limit }) => {
      const entry = this.live(key);
      return { key, limit, entry, count: counterValue(entry) };
    });
    let wait = -1;
    for (const { limit, entry, count } of current) {
      if (count >= limit) wait = Math.max(wait, entry ? entry.expiresAt - now : ms);
    }
    if (wait >= 0) return Math.max(1, remainingSeconds(wait));
    // Room for every counter first, so an attempt is counted on all of them or on none.
    const grown = current.reduce((sum, { key, entry, count }) => sum + cost(key, String(count + 1)) - (entry?.bytes ?? 0), 0);
    this.makeRoom(grown, current.map((c) => c.key));
    for (const { key, entry, count } of current) this.write(key, String(count + 1), entry ? entry.expiresAt : now + ms, true);
    return null;
  }

  async decrement(key: string): Promise<number> {
    this.assertOpen();
    const entry = this.live(key);
    const count = counterValue(entry) - 1;
    if (!entry) return 0;
    if (count <= 0) {
      this.remove(key, entry);
      return 0;
    }
    this.write(key, String(count), entry.expiresAt, true);
    return count;
  }

  async ttl(key: string): Promise<number | null> {
    this.assertOpen();
    const entry = this.live(key);
    return entry ? remainingSeconds(entry.expiresAt - this.clock()) : null;
  }

  async publish(channel: string, message: string): Promise<void> {
    this.assertOpen();
    // Redis delivers after PUBLISH returns; delivering inline would let tests pass here and fail there.
    setImmediate(() => this.channels.emit(channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    this.assertOpen();
    const listener = (message: string) => {
      try {
        handler(message);
      } catch {
        // A subscriber's bug must not stop delivery to the others; handlers own their errors.
      }
    };
    this.channels.on(channel, listener);
    return async () => {
      this.channels.off(channel, listener);
    };
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.entries.clear();
    this.recency.clear();
    this.pinned.clear();
    this.heldBytes = 0;
    this.channels.removeAllListeners();
  }

  /** Stores an entry (replacing the key's old one) once there is room; throws CacheUnavailableError when there is none. */
  private write(key: string, value: string, expiresAt: number, pinned: boolean): void {
    const bytes = cost(key, value);
    this.makeRoom(bytes - (this.entries.get(key)?.bytes ?? 0), [key]);
    // Looked up again: making room may have swept the old entry if it had expired.
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, { value, expiresAt, bytes, pinned });
    (pinned ? this.pinned : this.recency).add(key);
    this.heldBytes += bytes;
  }

  /**
   * Frees `needed` more bytes, never by dropping one of the `keep` keys or a live pinned entry:
   * expired pinned entries at the front of their order, then ordinary entries by recency, then
   * (at most once a second) every expired entry. Throws when that is not enough.
   */
  private makeRoom(needed: number, keep: readonly string[]): void {
    // The common case first, without so much as a closure: every nonce claim comes through here.
    if (this.heldBytes + needed <= this.maxBytes) return;
    if (needed > this.maxBytes) throw full();
    const fits = () => this.heldBytes + needed <= this.maxBytes;
    const now = this.clock();
    for (const key of this.pinned) {
      const entry = this.entries.get(key) as Entry;
      if (entry.expiresAt > now) break;
      this.remove(key, entry);
      if (fits()) return;
    }
    for (const key of this.recency) {
      if (keep.includes(key)) continue;
      this.remove(key, this.entries.get(key) as Entry);
      if (fits()) return;
    }
    // Pinned entries of different TTLs expire out of order; a full scan finds them, but a cache full
    // of live ones must not make every refused write a scan.
    if (now - this.lastFullSweep >= FULL_SWEEP_EVERY_MS) {
      this.sweep();
      if (fits()) return;
    }
    throw full();
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    (entry.pinned ? this.pinned : this.recency).delete(key);
    this.heldBytes -= entry.bytes;
  }

  /** The entry when present and unexpired; an expired one is removed on the way (lazy expiry). */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.remove(key, entry);
      return undefined;
    }
    return entry;
  }

  private assertOpen(): void {
    // Same answer as a closed Redis connection, so callers handle one failure shape.
    if (this.closed) throw new CacheUnavailableError(new Error('memory cache is closed'));
  }
}
