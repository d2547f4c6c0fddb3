import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../clock';
import { CacheUnavailableError, type Cache } from './types';
import { remainingSeconds, ttlMilliseconds } from './ttl';

export interface MemoryCacheOptions {
  clock?: Clock;
  /** How often expired keys are swept; reads also drop them lazily. */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * The single-node cache: a Map with expiry times read from the injected clock, and in-process
 * pub/sub. It mirrors Redis where callers could tell the difference: values are strings, counters
 * are stored as decimal strings, and messages are delivered asynchronously, never inside publish().
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new EventEmitter();
  private readonly clock: Clock;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(options: MemoryCacheOptions = {}) {
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

  /** Drops every expired key now; the interval calls this, tests may too. */
  sweep(): void {
    const now = this.clock();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.assertOpen();
    const ms = ttlMilliseconds(ttlSeconds);
    if (this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: this.clock() + ms });
    return true;
  }

  async get(key: string): Promise<string | null> {
    this.assertOpen();
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.assertOpen();
    this.entries.set(key, { value, expiresAt: this.clock() + ttlMilliseconds(ttlSeconds) });
  }

  async delete(key: string): Promise<boolean> {
    this.assertOpen();
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    this.assertOpen();
    const ms = ttlMilliseconds(ttlSeconds);
    const entry = this.live(key);
    if (!entry) {
      this.entries.set(key, { value: '1', expiresAt: this.clock() + ms });
      return 1;
    }
    if (!/^-?\d+$/.test(entry.value)) throw new TypeError('cache value is not an integer');
    const count = Number(entry.value) + 1;
    // The window keeps the expiry of its first increment, as in Redis.
    entry.value = String(count);
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
    this.channels.removeAllListeners();
  }

  /** The entry when present and unexpired; an expired one is removed on the way (lazy expiry). */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private assertOpen(): void {
    // Same answer as a closed Redis connection, so callers handle one failure shape.
    if (this.closed) throw new CacheUnavailableError(new Error('memory cache is closed'));
  }
}
