/**
 * When the primary starts a worker again after one died unexpectedly. Pure: the supervisor keeps the
 * counts and the clock.
 */
export const restartPolicy = {
  /** The first restart waits this long; each further death in a row doubles it, up to maxDelayMs. */
  baseDelayMs: 100,
  maxDelayMs: 5000,
  /** A worker that ran this long before dying starts a new row of deaths (a crash, not a crash loop). */
  stableMs: 10_000,
  /** Workers that died before they were listening, in a row with none becoming ready: the primary gives up. */
  maxStartFailures: 5,
} as const;

/** Delay before the restart that follows the n-th death in a row (n >= 1). */
export function restartDelayMs(deathsInARow: number): number {
  const n = Math.max(1, deathsInARow);
  return Math.min(restartPolicy.maxDelayMs, restartPolicy.baseDelayMs * 2 ** Math.min(n - 1, 16));
}

/** The deaths in a row counting this one: a worker that had run stably starts the count again. */
export function deathsInARow(previous: number, uptimeMs: number): number {
  return uptimeMs >= restartPolicy.stableMs ? 1 : previous + 1;
}
