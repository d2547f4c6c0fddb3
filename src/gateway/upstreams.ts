import { Pool } from 'undici';

/**
 * One keep-alive undici Pool per upstream origin (and connect timeout, which is a pool setting),
 * created on first use and reused for the life of the gateway. close() ends them all on shutdown.
 */
export class Upstreams {
  private readonly pools = new Map<string, Pool>();
  // Configured upstream URL -> origin, so the hot path parses no URL.
  private readonly origins = new Map<string, string>();
  private closed = false;

  pool(upstream: string, connectTimeoutMs: number): Pool {
    let origin = this.origins.get(upstream);
    if (origin === undefined) {
      origin = new URL(upstream).origin;
      this.origins.set(upstream, origin);
    }
    const key = `${origin} ${connectTimeoutMs}`;
    let pool = this.pools.get(key);
    if (!pool) {
      if (this.closed) throw new Error('the upstream pools are closed');
      pool = new Pool(origin, {
        connect: { timeout: connectTimeoutMs },
        // undici's idle default (4 s) stays under node's server default (5 s), so a reused socket is
        // never one the upstream is closing; it also honours an upstream's Keep-Alive hint.
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    // close() lets in-flight requests finish; the server's own shutdown deadline bounds the wait.
    await Promise.allSettled(pools.map((p) => p.close()));
  }
}
