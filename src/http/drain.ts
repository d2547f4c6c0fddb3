import type http from 'node:http';
import net from 'node:net';
import type { DrainState } from './drain-state';

export interface DrainOutcome {
  /** Requests still in flight at the deadline, whose connections were then cut. */
  cut: number;
}

// A connection that was idle when the drain began may be carrying a request right now; closing it at
// once would reset that request under its client. It gets this long to send one (answered with
// Connection: close) before idle connections are closed.
const idleGraceMs = 1000;

/**
 * The drain of one HTTP server on SIGTERM. From the moment it begins every answer not yet started
 * carries `Connection: close` (Node then ends the connection after it), so a keep-alive client
 * stops sending on it; no new connection is accepted; requests in flight finish. Idle connections
 * are closed once nothing is in flight any more (and not before the grace above). At the deadline
 * whatever is still open is cut, and the outcome says how many requests that ended.
 */
export class ConnectionDrain {
  private readonly inFlight = new Set<http.ServerResponse>();
  private outcome: Promise<DrainOutcome> | undefined;
  private graceOver = false;

  constructor(
    private readonly server: http.Server,
    private readonly state: DrainState,
  ) {
    // Before the app's listener: an answer is marked before the app can send a byte of it.
    server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => this.track(res));
  }

  private track(res: http.ServerResponse): void {
    if (this.state.draining) res.shouldKeepAlive = false;
    this.inFlight.add(res);
    res.once('close', () => {
      this.inFlight.delete(res);
      if (this.state.draining) this.closeIdleWhenQuiet();
    });
  }

  private closeIdleWhenQuiet(): void {
    if (this.graceOver && this.inFlight.size === 0) this.server.closeIdleConnections();
  }

  /** Begins the drain (once; later calls return the same outcome). */
  drain(deadlineMs: number): Promise<DrainOutcome> {
    this.outcome ??= new Promise<DrainOutcome>((resolve) => {
      this.state.begin();
      // Answers whose head is not written yet still can say so.
      for (const res of this.inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      let cut = 0;
      const deadline = setTimeout(() => {
        cut = this.inFlight.size;
        this.server.closeAllConnections();
      }, deadlineMs);
      const grace = setTimeout(() => {
        this.graceOver = true;
        this.closeIdleWhenQuiet();
      }, Math.min(idleGraceMs, deadlineMs));
      // net.Server's close, not http.Server's: that one also destroys every idle keep-alive
      // connection at once, under a client that may be sending on it. The callback runs once every
      // connection has ended.
      net.Server.prototype.close.call(this.server, () => {
        clearTimeout(deadline);
        clearTimeout(grace);
        resolve({ cut });
      });
    });
    return this.outcome;
  }
}
