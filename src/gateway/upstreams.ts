import { Pool } from 'undici';
import type { GatewayConfig } from '../config';
import { ConnectionSlots, type ConnectionLimits } from './connection-slots';

/** An upstream as the proxy uses it: its keep-alive pool, its connection cap and how long a request body may stall. */
export interface Upstream {
  pool: Pool;
  slots: ConnectionSlots;
  bodyIdleTimeoutMs: number;
}

type OriginLimits = ConnectionLimits & { bodyIdleTimeoutMs: number };

/** The limits of each upstream origin: upstreamLimits, with perUpstream overrides by origin. */
function limitsOf(config: GatewayConfig['upstreamLimits']): (origin: string) => OriginLimits {
  const overrides = new Map(Object.entries(config.perUpstream).map(([url, limits]) => [new URL(url).origin, limits]));
  return (origin) => {
    const own = overrides.get(origin);
    return {
      maxConnections: own?.maxConnections ?? config.maxConnections,
      maxQueued: own?.maxQueued ?? config.maxQueued,
      queueTimeoutMs: (own?.queueTimeoutSeconds ?? config.queueTimeoutSeconds) * 1000,
      anonymousShare: own?.anonymousShare ?? config.anonymousShare,
      bodyIdleTimeoutMs: (own?.bodyIdleTimeoutSeconds ?? config.bodyIdleTimeoutSeconds) * 1000,
    };
  };
}

/**
 * One keep-alive undici Pool per upstream origin (and connect timeout, which is a pool setting),
 * created on first use and reused for the life of the gateway, and one connection cap per origin
 * (shared by every route and pool that reaches it). close() ends the pools on shutdown.
 */
export class Upstreams {
  private readonly upstreams = new Map<string, Upstream>();
  private readonly slots = new Map<string, ConnectionSlots>();
  // Configured upstream URL -> origin, so the hot path parses no URL.
  private readonly origins = new Map<string, string>();
  private readonly limits: (origin: string) => OriginLimits;
  private closed = false;

  constructor(limits: GatewayConfig['upstreamLimits']) {
    this.limits = limitsOf(limits);
  }

  upstream(url: string, connectTimeoutMs: number): Upstream {
    let origin = this.origins.get(url);
    if (origin === undefined) {
      origin = new URL(url).origin;
      this.origins.set(url, origin);
    }
    const key = origin + ' ' + connectTimeoutMs;
    let upstream = this.upstreams.get(key);
    if (!upstream) {
      if (this.closed) throw new Error('the upstream pools are closed');
      const limits = this.limits(origin);
      let slots = this.slots.get(origin);
      if (!slots) this.slots.set(origin, (slots = new ConnectionSlots(limits)));
      const pool = new Pool(origin, {
        connect: { timeout: connectTimeoutMs },
        // The slots already hold requests in flight to the cap; undici's own cap makes sure no pool
        // opens more sockets than that, whatever it keeps idle.
        connections: limits.maxConnections,
        // undici's idle default (4 s) stays under node's server default (5 s), so a reused socket is
        // never one the upstream is closing; it also honours an upstream's Keep-Alive hint.
      });
      upstream = { pool, slots, bodyIdleTimeoutMs: limits.bodyIdleTimeoutMs };
      this.upstreams.set(key, upstream);
    }
    return upstream;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.upstreams.values()].map((u) => u.pool);
    this.upstreams.clear();
    // close() lets in-flight requests finish; the server's own shutdown deadline bounds the wait.
    await Promise.allSettled(pools.map((p) => p.close()));
  }
}
