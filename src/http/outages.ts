import type { Clock } from '../clock';
import type { Logger } from './logger';

/** A shared dependency whose outage answers 503 (http/conditions.ts outageOf). */
export type Dependency = 'database' | 'cache';

const words: Record<Dependency, string> = { database: 'the database', cache: 'the shared cache (Redis)' };
const PROBE_INTERVAL_MS = 1000;

export interface OutagesOptions {
  logger: Logger;
  clock: Clock;
  /** Whether the dependency answers again (store.ping, cache.ping); bounded here by the probe interval. */
  probes: Record<Dependency, () => Promise<boolean>>;
  probeIntervalMs?: number;
}

/** What the one log line says about the first failure: never a stack, never request data. */
export interface OutageCause {
  type: string;
  message: string;
  errorCode?: string;
}

interface Outage {
  since: number;
  refused: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Outages as an operator reads them: one warn line when the first request is refused for a
 * dependency ("unavailable"), one when it answers again, with how many requests were refused and
 * for how long; nothing per request (the access lines say 503 already). The end is found by
 * probing the dependency about once a second from the first refusal on, so a quiet node still
 * reports it and a busy one does not probe more.
 */
export class Outages {
  private readonly open = new Map<Dependency, Outage>();
  private closed = false;

  constructor(private readonly options: OutagesOptions) {}

  /** A request was answered 503 because the dependency failed. `cause`: the error's class and message only. */
  refused(dependency: Dependency, cause?: OutageCause): void {
    const outage = this.open.get(dependency);
    if (outage) {
      outage.refused += 1;
      return;
    }
    if (this.closed) return;
    this.open.set(dependency, { since: this.options.clock(), refused: 1, timer: null });
    this.options.logger.warn({ dependency, cause }, `${words[dependency]} is unavailable: requests that need it are answered 503 until it answers again`);
    this.scheduleProbe(dependency);
  }

  /** Whether an outage of the dependency is open (it failed and has not answered since). */
  ongoing(dependency: Dependency): boolean {
    return this.open.has(dependency);
  }

  close(): void {
    this.closed = true;
    for (const outage of this.open.values()) if (outage.timer) clearTimeout(outage.timer);
    this.open.clear();
  }

  private scheduleProbe(dependency: Dependency): void {
    const outage = this.open.get(dependency);
    if (!outage || this.closed) return;
    const interval = this.options.probeIntervalMs ?? PROBE_INTERVAL_MS;
    outage.timer = setTimeout(() => void this.probe(dependency, interval), interval);
    outage.timer.unref();
  }

  private async probe(dependency: Dependency, deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    const up = await Promise.race([this.options.probes[dependency]().catch(() => false), late]);
    clearTimeout(timer);
    const outage = this.open.get(dependency);
    if (!outage || this.closed) return;
    if (!up) return this.scheduleProbe(dependency);
    this.open.delete(dependency);
    const seconds = Math.max(0, Math.round((this.options.clock() - outage.since) / 1000));
    this.options.logger.warn({ dependency, refused: outage.refused, seconds }, `${words[dependency]} answers again: ${outage.refused} requests were refused during the outage`);
  }
}
