/**
 * The connection cap of one upstream: at most `maxConnections` requests in flight to it (HTTP/1.1
 * without pipelining, so one connection each), then a queue of at most `maxQueued` that waits in
 * turn for up to `queueTimeoutMs`. Without it, a slow upstream behind many clients gets as many
 * connections as there are clients (issue 14 measured 1,000 for 1,000); past it, callers are told
 * at once to come back (503) instead of piling up in memory.
 *
 * Requests without an identity (a public route's callers without credentials) may hold at most
 * `anonymousShare` of the connections and of the queue: anyone can open connections that send a
 * body slowly, and without the share they could fill every connection and shut out the callers
 * the gateway knows, on every route to that upstream.
 */
export interface ConnectionLimits {
  maxConnections: number;
  maxQueued: number;
  queueTimeoutMs: number;
  /** More than 0, at most 1. */
  anonymousShare: number;
}

/** Why a request got no connection: the queue was full, or its wait passed the queue timeout. */
export class UpstreamBusy extends Error {
  constructor(readonly reason: 'queue_full' | 'queue_timeout') {
    super(`upstream ${reason}`);
    this.name = 'UpstreamBusy';
  }
}

interface Waiter {
  resolve(): void;
  timer: NodeJS.Timeout;
  /** Its place in the arrival order of both queues. */
  arrival: number;
}

export class ConnectionSlots {
  private inUse = 0;
  private anonymousInUse = 0;
  /** Callers with an identity, and anonymous ones: two queues, so a slot an anonymous waiter may not take goes to the next identified one. */
  private readonly queue: Waiter[] = [];
  private readonly anonymousQueue: Waiter[] = [];
  private arrivals = 0;
  private readonly anonymousMax: number;
  private readonly anonymousMaxQueued: number;

  constructor(private readonly limits: ConnectionLimits) {
    // At least one connection, or a public route could never reach an upstream of one connection.
    this.anonymousMax = Math.max(1, Math.floor(limits.maxConnections * limits.anonymousShare));
    this.anonymousMaxQueued = Math.floor(limits.maxQueued * limits.anonymousShare);
  }

  /**
   * Takes a slot when one is free to this caller and nobody it must not overtake waits: the common
   * case, without a promise. Anonymous waiters wait only for the anonymous share, so a free slot
   * still goes to an identified caller past them.
   */
  tryTake(anonymous: boolean): boolean {
    if (this.inUse >= this.limits.maxConnections || this.queue.length > 0) return false;
    if (anonymous) {
      if (this.anonymousInUse >= this.anonymousMax || this.anonymousQueue.length > 0) return false;
      this.anonymousInUse++;
    }
    this.inUse++;
    return true;
  }

  /** Waits in turn for a slot (then held, to be released); refused when the queue (or its anonymous share) is full or the wait too long. */
  wait(anonymous: boolean): Promise<void> {
    const queued = this.queue.length + this.anonymousQueue.length;
    if (queued >= this.limits.maxQueued || (anonymous && this.anonymousQueue.length >= this.anonymousMaxQueued)) {
      return Promise.reject(new UpstreamBusy('queue_full'));
    }
    const queue = anonymous ? this.anonymousQueue : this.queue;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        arrival: this.arrivals++,
        timer: setTimeout(() => {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(new UpstreamBusy('queue_timeout'));
        }, this.limits.queueTimeoutMs),
      };
      queue.push(waiter);
    });
  }

  /** Gives a slot back (`anonymous` as it was taken): to the longest waiter that may hold it, or to the free ones. */
  release(anonymous: boolean): void {
    this.inUse--;
    if (anonymous) this.anonymousInUse--;
    const identified = this.queue[0];
    const stranger = this.anonymousInUse < this.anonymousMax ? this.anonymousQueue[0] : undefined;
    let next: Waiter | undefined;
    if (identified !== undefined && (stranger === undefined || identified.arrival < stranger.arrival)) {
      next = this.queue.shift();
    } else if (stranger !== undefined) {
      next = this.anonymousQueue.shift();
      this.anonymousInUse++;
    }
    if (next === undefined) return;
    this.inUse++;
    clearTimeout(next.timer);
    next.resolve();
  }

  /** Requests in flight and waiting, all of them (tests, metrics). */
  get counts(): { inUse: number; queued: number } {
    return { inUse: this.inUse, queued: this.queue.length + this.anonymousQueue.length };
  }

  /** Of those, the anonymous ones. */
  get anonymousCounts(): { inUse: number; queued: number } {
    return { inUse: this.anonymousInUse, queued: this.anonymousQueue.length };
  }
}
