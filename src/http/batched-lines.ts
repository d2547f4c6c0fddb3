import fs from 'node:fs';

/**
 * Log lines for a file descriptor (standard output), gathered in memory and written in batches, each
 * batch with one synchronous write: when `batchBytes` are waiting, when the oldest waiting line is
 * `flushMs` old, when flush() is called (a warning or an error, the startup summary, shutdown) and
 * when the process exits (an `exit` listener, which also runs after an uncaught exception; only a
 * SIGKILL loses what waits, at most `flushMs` of lines).
 *
 * Why not pino.destination({ sync: false, minLength }): an asynchronous fs.write goes through libuv's
 * thread pool, and waking a pool thread cost 25 to 50 µs of CPU per write on the project's 2-core
 * machine (a synchronous write of the same 12 KB to /dev/null or a pipe: about 5 µs), which made the
 * access log's writes 4% of a proxied request's CPU at about fifteen lines per write. A batch of about
 * forty lines in one synchronous write costs a fraction of a microsecond per line. A reader that stops
 * reading blocks the writer, as pino's default (synchronous) destination does.
 */
export class BatchedLines {
  private pending: string[] = [];
  /** Characters waiting (a line's UTF-16 length: close enough to its bytes for a batch size). */
  private waiting = 0;
  private timer: NodeJS.Timeout | null = null;
  /** The reader went away (EPIPE): lines are dropped from then on, as pino does. */
  private broken = false;

  constructor(
    private readonly fd: number,
    private readonly batchBytes = 12 * 1024,
    private readonly flushMs = 200,
  ) {
    flushedAtExit(this);
  }

  write(line: string): boolean {
    if (this.broken) return true;
    this.pending.push(line);
    this.waiting += line.length;
    if (this.waiting >= this.batchBytes) this.flushSync();
    else if (this.timer === null) {
      this.timer = setTimeout(this.onTimer, this.flushMs);
      this.timer.unref();
    }
    return true;
  }

  /** Writes what waits, now; pino's logger.flush(cb) calls it (then `cb`, as a destination's flush does). */
  flush(cb?: (err?: Error) => void): void {
    try {
      this.flushSync();
    } catch (err) {
      if (cb) return cb(err as Error);
      throw err;
    }
    cb?.();
  }

  flushSync(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.waiting = 0;
    if (!this.broken) this.writeAll(Buffer.from(text, 'utf8'));
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.flushSync();
  };

  private writeAll(data: Buffer): void {
    let offset = 0;
    let waits = 0;
    while (offset < data.length) {
      try {
        offset += fs.writeSync(this.fd, data, offset, data.length - offset);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          this.broken = true;
          return;
        }
        // A non-blocking descriptor that is full: wait for the reader (as sonic-boom does), up to about a minute.
        if ((code === 'EAGAIN' || code === 'EBUSY') && waits++ < 6000) {
          Atomics.wait(sleeper, 0, 0, 10);
          continue;
        }
        throw err;
      }
    }
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

// One exit listener for every batch the process made, each held weakly (a test's runtimes come and go).
const live = new Set<WeakRef<BatchedLines>>();
let listening = false;

function flushedAtExit(lines: BatchedLines): void {
  for (const ref of live) if (ref.deref() === undefined) live.delete(ref);
  live.add(new WeakRef(lines));
  if (listening) return;
  listening = true;
  process.on('exit', () => {
    for (const ref of live) {
      try {
        ref.deref()?.flushSync();
      } catch {
        // Nowhere left to report it: the process is exiting.
      }
    }
  });
}
