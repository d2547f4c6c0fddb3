/** Epoch milliseconds. Injected everywhere time matters, so expiry is tested without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock a test can move. */
export function manualClock(start = Date.now()): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  const clock = (() => now) as Clock & { advance(ms: number): void; set(ms: number): void };
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}
