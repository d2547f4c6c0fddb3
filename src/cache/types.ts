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
  /** Remaining lifetime in seconds, or null when the key is absent. */
  ttl(key: string): Promise<number | null>;
  publish(channel: string, message: string): Promise<void>;
  /** Calls the handler for every message on the channel; resolves once the subscription is live. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  /** True when the backing store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  readonly kind: 'redis' | 'memory';
}

/** The shared store did not answer: callers map this to 503, never to a pass. */
export class CacheUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('shared cache unavailable');
    this.name = 'CacheUnavailableError';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}
