interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded in-process map with per-entry expiry and least-recently-used eviction (a Map keeps
 * insertion order, so re-inserting on a hit moves the key to the young end). Time is passed in.
 * The verified-credential caches (revocation/verified-credentials.ts) and the client-secret success
 * cache (crypto/hashing.ts) are built on it.
 */
export class BoundedMap<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error('maxEntries must be a positive integer');
  }

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
