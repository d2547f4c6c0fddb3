import { randomString } from '../crypto/random-pool';
import type { Cache } from '../cache/types';
import type { Clock } from '../clock';
import type { Logger } from '../http/logger';
import { timestampRefused } from './problems';

/**
 * Whether the shared cache still remembers the nonces it was given. A Redis restarted without
 * persistence (or flushed, or failed over to an empty replica) has forgotten every used nonce, so
 * a request signed before could be replayed after it while its timestamp is still in the window.
 *
 * The gateway keeps a marker key next to the nonces: `<id>:<lostAt>`. A node reads it in the same
 * event-loop turn as its nonce claims (one GET for all of them, beside the batched claim), so a claim
 * that landed on an emptied Redis is judged with the marker's absence. When the marker is gone, or
 * was replaced by one that knows of no loss, the node notes the loss (lostAt = now) and writes a new
 * marker saying so, and every node that reads it adopts it: for one timestamp window after lostAt,
 * timestamps from before the second of lostAt are refused (timestamp_refused, 401), so no request
 * signed before the loss passes; fresh ones do. After the window the old timestamps are out of it
 * anyway.
 *
 * A node that starts and finds no marker writes one that knows of no loss: it has accepted no nonce
 * yet, and an empty cache on a first start is no loss.
 */

const MARKER_KEY = 'oauth1:nonce-memory';
// Longer than any node runs between restarts of its Redis; should it expire all the same, the
// nodes take it for a loss and refuse old timestamps for one window (harmless).
const MARKER_TTL_SECONDS = 400 * 24 * 3600;

interface Marker {
  id: string;
  /** Epoch ms when a loss was noticed, 0 for none. */
  lostAt: number;
}

const markerValue = (m: Marker) => `${m.id}:${m.lostAt}`;

function parseMarker(value: string | null): Marker | null {
  const match = value === null ? null : /^([0-9a-f]{16}):([0-9]{1,16})$/.exec(value);
  return match ? { id: match[1]!, lostAt: Number(match[2]) } : null;
}

const newId = () => randomString(8, 'hex');

export interface NonceMemoryOptions {
  cache: Pick<Cache, 'get' | 'set' | 'setIfAbsent'>;
  clock: Clock;
  logger: Logger;
  timestampWindowSeconds: number;
}

export class NonceMemory {
  private known: Marker | null = null;
  private turn: Promise<Marker> | null = null;

  constructor(private readonly options: NonceMemoryOptions) {}

  /**
   * At start: adopts the marker, or writes one that knows of no loss. Never throws: with the cache
   * down, the first read after it is back does the same (this node has spent no nonce meanwhile).
   */
  async open(): Promise<void> {
    await this.read().catch(() => undefined);
  }

  /**
   * The marker as of this event-loop turn; start it together with the nonce claim (Promise.all),
   * then hand it to requireRemembered. Throws CacheUnavailableError.
   */
  current(): Promise<Marker> {
    if (!this.turn) {
      this.turn = this.read();
      setImmediate(() => {
        this.turn = null;
      });
    }
    return this.turn;
  }

  /** Refuses a timestamp the cache may have forgotten the nonce of (see the class). */
  requireRemembered(marker: Marker, timestamp: number | null): void {
    if (timestamp === null || marker.lostAt === 0) return;
    const now = this.options.clock();
    const window = this.options.timestampWindowSeconds;
    if (now >= marker.lostAt + window * 1000) return;
    // Timestamps are whole seconds: one signed in the very second the loss was noticed may have been
    // used just before it, so the first second accepted is the next one (a client signing in that
    // second is refused once and signs again).
    const oldestAccepted = Math.floor(marker.lostAt / 1000) + 1;
    if (timestamp >= oldestAccepted) return;
    throw timestampRefused(oldestAccepted, Math.floor(now / 1000) + window, {
      advice: 'The gateway lost its record of used nonces; requests signed before that are refused for a while: sign the request again.',
    });
  }

  private async read(): Promise<Marker> {
    const { cache, clock, logger } = this.options;
    const seen = parseMarker(await cache.get(MARKER_KEY));
    if (!this.known) return (this.known = seen ?? (await this.create({ id: newId(), lostAt: 0 })));
    if (seen && (seen.id === this.known.id || seen.lostAt > 0)) {
      // Unchanged, or another node noticed a loss and said so: adopt it.
      if (seen.id !== this.known.id) logger.warn({ lostAt: new Date(seen.lostAt).toISOString() }, 'another node noticed that the shared cache lost its record of used nonces: older OAuth 1.0a timestamps are refused for one window');
      return (this.known = seen);
    }
    // Gone, or re-created by a node that knew of no loss: the nonces this node relied on are gone.
    const lost: Marker = { id: newId(), lostAt: clock() };
    if (seen) await cache.set(MARKER_KEY, markerValue(lost), MARKER_TTL_SECONDS);
    const marker = seen ? lost : await this.create(lost);
    if (marker.id === lost.id) {
      logger.warn({ lostAt: new Date(lost.lostAt).toISOString() }, 'the shared cache lost its record of used nonces (a Redis restart without persistence?): older OAuth 1.0a timestamps are refused for one window');
    }
    return (this.known = marker);
  }

  /** Writes the marker unless one is there; the one that is there afterwards (another node may have been first). */
  private async create(marker: Marker): Promise<Marker> {
    const { cache } = this.options;
    if (await cache.setIfAbsent(MARKER_KEY, markerValue(marker), MARKER_TTL_SECONDS)) return marker;
    const other = parseMarker(await cache.get(MARKER_KEY));
    if (!other) return marker;
    // First to notice a loss wins, so every node refuses from one moment; but a marker that knows of
    // no loss does not cancel one.
    if (marker.lostAt > 0 && other.lostAt === 0) {
      await cache.set(MARKER_KEY, markerValue(marker), MARKER_TTL_SECONDS);
      return marker;
    }
    return other;
  }
}
