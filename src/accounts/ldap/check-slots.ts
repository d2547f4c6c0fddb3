import { DirectoryBusyError } from './errors';

/**
 * A bound on the directory checks in flight: each holds a connection to the directory, and a
 * directory that slows down would otherwise collect one per login attempt. At most maxConcurrent
 * run; up to maxQueued wait in arrival order; one more is refused at once (DirectoryBusyError).
 */
export class CheckSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  async run<T>(check: () => Promise<T>): Promise<T> {
    if (this.running < this.maxConcurrent) {
      this.running += 1;
    } else {
      if (this.waiting.length >= this.maxQueued) throw new DirectoryBusyError();
      // The slot is handed over by the check that ends (below), never taken back in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await check();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Checks running and waiting now. */
  get inFlight(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
