/**
 * The key-value contract the gateway needs from shared state. Two implementations: Redis (several
 * gateway nodes) and memory (one node). TTLs are in seconds.
 */
export interface Cache {
  /** Stores the value only when the key is absent; true when this call stored it (nonces, single use). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Deletes the key; true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Adds one and returns the new count; the TTL starts with the first increment (rate limits). */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /**
   * Counts one attempt on every counter, atomically, unless one of them already holds its limit: then
   * nothing is counted and the answer is the whole seconds until the last full counter expires. null:
   * counted, go ahead. A new counter's window starts with its first attempt; later ones keep it. This
   * is how every guess is counted before it is checked, so parallel guesses cannot all slip in.
   */
  countAttempt(counters: readonly GuessCounter[], windowSeconds: number): Promise<number | null>;
  /**
   * Takes one back from a counter (an attempt that turned out not to be a wrong guess) and returns
   * the new count. Never creates the key nor goes below zero (a counter at zero is removed); keeps the TTL.
   */
  decrement(key: string): Promise<number>;
  /** Remaining lifetime in seconds, or null when the key is absent. */
  ttl(key: string): Promise<number | null>;
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls the handler for every message on the channel; resolves once the subscription is live.
   * `events` hears when it stops being live (the connection dropped or stopped answering: messages
   * published from then on are lost) and when it is live again; a cache that cannot lose a
   * subscription (memory) never calls them.
   */
  subscribe(channel: string, handler: (message: string) => void, events?: SubscriptionEvents): Promise<() => Promise<void>>;
  /** True when the backing store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  readonly kind: 'redis' | 'memory';
}

/** What a subscriber hears about its subscription (see Cache.subscribe). */
export interface SubscriptionEvents {
  lost(): void;
  restored(): void;
}

/** A counter of attempts and how many its window allows. */
export interface GuessCounter {
  key: string;
  limit: number;
}

/** The shared store did not answer: callers map this to 503, never to a pass. */
export class CacheUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('shared cache unavailable');
    this.name = 'CacheUnavailableError';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}
