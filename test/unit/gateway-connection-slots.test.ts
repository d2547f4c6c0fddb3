import { ConnectionSlots, UpstreamBusy, type ConnectionLimits } from '../../src/gateway/connection-slots';

// The connection cap of one upstream and its anonymous share: who takes a slot at once, who waits,
// and who gets a slot given back.

const IDENTIFIED = false;
const ANONYMOUS = true;

function slots(limits: Partial<ConnectionLimits> = {}): ConnectionSlots {
  return new ConnectionSlots({ maxConnections: 4, maxQueued: 10, queueTimeoutMs: 60_000, anonymousShare: 0.5, ...limits });
}

/** Resolves to the order in which the given waits were granted a slot. */
function grantOrder(waits: Array<[string, Promise<void>]>): string[] {
  const order: string[] = [];
  for (const [name, wait] of waits) void wait.then(() => order.push(name));
  return order;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => jest.useRealTimers());

test('anonymous callers take at most their share of the connections at once', () => {
  const s = slots();
  expect([s.tryTake(ANONYMOUS), s.tryTake(ANONYMOUS), s.tryTake(ANONYMOUS)]).toEqual([true, true, false]);
  expect(s.anonymousCounts).toEqual({ inUse: 2, queued: 0 });
});

test('identified callers take the connections the anonymous share leaves free', () => {
  const s = slots();
  s.tryTake(ANONYMOUS);
  s.tryTake(ANONYMOUS);
  expect([s.tryTake(IDENTIFIED), s.tryTake(IDENTIFIED), s.tryTake(IDENTIFIED)]).toEqual([true, true, false]);
  expect(s.counts).toEqual({ inUse: 4, queued: 0 });
});

test('identified callers may take every connection', () => {
  const s = slots();
  expect([1, 2, 3, 4].map(() => s.tryTake(IDENTIFIED))).toEqual([true, true, true, true]);
  expect(s.tryTake(ANONYMOUS)).toBe(false);
});

test('an anonymous caller waiting for the share does not hold back an identified caller while connections are free', async () => {
  const s = slots();
  s.tryTake(ANONYMOUS);
  s.tryTake(ANONYMOUS);
  const waiting = s.wait(ANONYMOUS);
  expect(s.counts.queued).toBe(1);
  expect(s.tryTake(IDENTIFIED)).toBe(true);
  s.release(ANONYMOUS);
  await waiting;
  expect(s.anonymousCounts).toEqual({ inUse: 2, queued: 0 });
  expect(s.counts).toEqual({ inUse: 3, queued: 0 });
});

test('a slot an identified caller gives back goes to the next identified waiter, past an anonymous one held to its share', async () => {
  const s = slots();
  s.tryTake(ANONYMOUS);
  s.tryTake(ANONYMOUS);
  s.tryTake(IDENTIFIED);
  s.tryTake(IDENTIFIED);
  const order = grantOrder([
    ['anonymous', s.wait(ANONYMOUS)],
    ['identified', s.wait(IDENTIFIED)],
  ]);
  s.release(IDENTIFIED);
  await settle();
  expect(order).toEqual(['identified']);
  s.release(ANONYMOUS);
  await settle();
  expect(order).toEqual(['identified', 'anonymous']);
  expect(s.counts).toEqual({ inUse: 4, queued: 0 });
  expect(s.anonymousCounts).toEqual({ inUse: 2, queued: 0 });
});

test('waiters that may both take a freed slot get it in arrival order', async () => {
  const s = slots();
  [1, 2, 3, 4].forEach(() => s.tryTake(IDENTIFIED));
  const order = grantOrder([
    ['anonymous', s.wait(ANONYMOUS)],
    ['identified', s.wait(IDENTIFIED)],
  ]);
  s.release(IDENTIFIED);
  await settle();
  expect(order).toEqual(['anonymous']);
  s.release(IDENTIFIED);
  await settle();
  expect(order).toEqual(['anonymous', 'identified']);
});

test('anonymous callers fill at most their share of the queue; identified callers still queue behind them', async () => {
  const s = slots({ maxQueued: 4 });
  [1, 2, 3, 4].forEach(() => s.tryTake(IDENTIFIED));
  const queued = [s.wait(ANONYMOUS), s.wait(ANONYMOUS)];
  await expect(s.wait(ANONYMOUS)).rejects.toEqual(new UpstreamBusy('queue_full'));
  const identified = [s.wait(IDENTIFIED), s.wait(IDENTIFIED)];
  await expect(s.wait(IDENTIFIED)).rejects.toEqual(new UpstreamBusy('queue_full'));
  expect(s.counts.queued).toBe(4);
  [1, 2, 3, 4].forEach(() => s.release(IDENTIFIED));
  await Promise.all([...queued, ...identified]);
  expect(s.counts).toEqual({ inUse: 4, queued: 0 });
});

test('an anonymous share of 1 lets anonymous callers take every connection', () => {
  const s = slots({ anonymousShare: 1 });
  expect([1, 2, 3, 4, 5].map(() => s.tryTake(ANONYMOUS))).toEqual([true, true, true, true, false]);
});

test('the anonymous share is rounded down, but is never less than one connection', () => {
  const five = slots({ maxConnections: 5 });
  expect([1, 2, 3].map(() => five.tryTake(ANONYMOUS))).toEqual([true, true, false]);
  const one = slots({ maxConnections: 1, anonymousShare: 0.1 });
  expect([one.tryTake(ANONYMOUS), one.tryTake(ANONYMOUS)]).toEqual([true, false]);
});

test('an anonymous waiter past the queue timeout leaves the queue with queue_timeout', async () => {
  jest.useFakeTimers();
  const s = slots({ queueTimeoutMs: 1000 });
  s.tryTake(ANONYMOUS);
  s.tryTake(ANONYMOUS);
  const waiting = s.wait(ANONYMOUS);
  jest.advanceTimersByTime(1000);
  await expect(waiting).rejects.toEqual(new UpstreamBusy('queue_timeout'));
  expect(s.anonymousCounts).toEqual({ inUse: 2, queued: 0 });
  // Its place is gone: the next slot given back stays free.
  s.release(ANONYMOUS);
  expect(s.anonymousCounts).toEqual({ inUse: 1, queued: 0 });
});
