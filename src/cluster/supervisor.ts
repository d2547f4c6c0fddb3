import cluster, { type Worker } from 'node:cluster';
import type { GatewayConfig } from '../config';
import type { Logger } from '../http/logger';
import { isWorkerMessage, type PrimaryMessage } from './messages';
import { deathsInARow, restartDelayMs, restartPolicy } from './restart-policy';

/** One of the N places a worker runs in; a worker that dies is replaced in its slot. */
interface Slot {
  index: number;
  worker: Worker | null;
  startedAt: number;
  ready: boolean;
  deaths: number;
  restart: NodeJS.Timeout | null;
}

export class WorkersFailingError extends Error {
  constructor(failures: number) {
    super(`workers keep failing at start (${failures} in a row without one listening): giving up`);
    this.name = 'WorkersFailingError';
  }
}

/**
 * The primary's side of `serve --workers N`: forks the workers, hands each the configuration, replaces
 * one that dies unexpectedly (after a backoff), gives up when they keep dying before they listen, and
 * on stop() forwards SIGTERM and waits for every worker's drain.
 */
export class Supervisor {
  private readonly slots: Slot[];
  private stopping = false;
  private startFailures = 0;
  private url: string | null = null;
  /** The workers' shared admin listener (admin.listen), as the first ready worker names it. */
  adminUrl: string | null = null;
  private readonly exitCodes: number[] = [];
  private allReady!: { resolve: (url: string) => void; reject: (err: Error) => void };
  private failure!: (err: Error) => void;
  /** Rejects when the supervisor gives up (at any time, not only during the first start). */
  readonly failed: Promise<never>;

  constructor(
    private readonly config: GatewayConfig,
    count: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = Array.from({ length: count }, (_, index) => ({ index, worker: null, startedAt: 0, ready: false, deaths: 0, restart: null }));
    this.failed = new Promise<never>((_, reject) => (this.failure = reject));
    this.failed.catch(() => undefined);
  }

  /** Forks every worker; resolves with the listen URL once all of them listen. */
  start(): Promise<string> {
    const started = new Promise<string>((resolve, reject) => (this.allReady = { resolve, reject }));
    for (const slot of this.slots) this.fork(slot);
    return started;
  }

  /** The worker pids now running. */
  pids(): number[] {
    return this.slots.flatMap((s) => (s.worker?.process.pid ? [s.worker.process.pid] : []));
  }

  private fork(slot: Slot): void {
    slot.restart = null;
    const worker = cluster.fork();
    slot.worker = worker;
    slot.startedAt = this.now();
    slot.ready = false;
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'config?') {
        const answer: PrimaryMessage = { type: 'config', config: this.config };
        worker.send(answer);
      } else {
        this.onReady(slot, worker, message.url, message.adminUrl ?? null);
      }
    });
    worker.on('exit', (code, signal) => this.onExit(slot, worker, code, signal));
  }

  private onReady(slot: Slot, worker: Worker, url: string, adminUrl: string | null): void {
    if (slot.worker !== worker) return;
    slot.ready = true;
    this.startFailures = 0;
    this.url ??= url;
    this.adminUrl ??= adminUrl;
    this.logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker listening');
    if (this.slots.every((s) => s.ready)) this.allReady.resolve(this.url);
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = null;
    if (this.stopping) {
      this.exitCodes.push(code ?? 1);
      return;
    }
    const uptimeMs = this.now() - slot.startedAt;
    if (!slot.ready) this.startFailures += 1;
    slot.ready = false;
    slot.deaths = deathsInARow(slot.deaths, uptimeMs);
    if (this.startFailures >= restartPolicy.maxStartFailures) {
      const err = new WorkersFailingError(this.startFailures);
      this.allReady.reject(err);
      this.failure(err);
      return;
    }
    const delayMs = restartDelayMs(slot.deaths);
    this.logger.warn({ worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: delayMs }, 'worker exited unexpectedly: starting another');
    slot.restart = setTimeout(() => this.fork(slot), delayMs);
  }

  /**
   * Forwards SIGTERM to every worker (each drains), stops replacing them, and resolves with their
   * exit codes once all have exited. A worker still running graceMs later is killed (code 1 counted).
   */
  async stop(graceMs: number): Promise<number[]> {
    this.stopping = true;
    const running: Worker[] = [];
    for (const slot of this.slots) {
      if (slot.restart) clearTimeout(slot.restart);
      slot.restart = null;
      if (slot.worker && !slot.worker.isDead()) running.push(slot.worker);
    }
    await Promise.all(
      running.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            const killer = setTimeout(() => worker.process.kill('SIGKILL'), graceMs);
            worker.once('exit', () => clearTimeout(killer));
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    return [...this.exitCodes];
  }
}
