/**
 * Epoch milliseconds. Protocol logic takes the time from an injected clock (token and code expiry,
 * timestamp windows, and the in-process cache's TTLs: nonces, lockouts), so expiry is tested without
 * sleeping. Not from it: TTLs kept by Redis (on Redis's own clock) and timers (polling, sweeps,
 * shutdown), which run in real time.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock a test moves forward. */
export function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  const clock = (() => now) as Clock & { advance(ms: number): void };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}
