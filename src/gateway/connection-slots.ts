/**
 * The connection cap of one upstream: at most `maxConnections` requests in flight to it (HTTP/1.1
 * without pipelining, so one connection each), then a queue of at most `maxQueued` that waits in
 * turn for up to `queueTimeoutMs`. Without it, a slow upstream behind many clients gets as many
 * connections as there are clients (issue 14 measured 1,000 for 1,000); past it, callers are told
 * at once to come back (503) instead of piling up in memory.
 */
export interface ConnectionLimits {
  maxConnections: number;
  maxQueued: number;
  queueTimeoutMs: number;
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
}

export class ConnectionSlots {
  private inUse = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly limits: ConnectionLimits) {}

  /** Takes a slot when one is free and nobody waits for one: the common case, without a promise. */
  tryTake(): boolean {
    if (this.inUse >= this.limits.maxConnections || this.queue.length > 0) return false;
    this.inUse++;
    return true;
  }

  /** Waits in turn for a slot (then held, to be released); refused when the queue is full or the wait too long. */
  wait(): Promise<void> {
    if (this.queue.length >= this.limits.maxQueued) return Promise.reject(new UpstreamBusy('queue_full'));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          reject(new UpstreamBusy('queue_timeout'));
        }, this.limits.queueTimeoutMs),
      };
      this.queue.push(waiter);
    });
  }

  /** Gives a slot back: to the longest waiter, or to the free ones. */
  release(): void {
    const next = this.queue.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
      return;
    }
    this.inUse--;
  }

  /** Requests in flight and waiting (tests, metrics). */
  get counts(): { inUse: number; queued: number } {
    return { inUse: this.inUse, queued: this.queue.length };
  }
}
