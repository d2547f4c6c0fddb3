import { CheckSlots } from '../../src/accounts/ldap/check-slots';
import { DirectoryBusyError } from '../../src/accounts/ldap/errors';
import { protocolErrorOf } from '../../src/http/conditions';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test('at most maxConcurrent run, maxQueued wait in order, one more is refused at once', async () => {
  const slots = new CheckSlots(2, 1);
  const gates = [deferred(), deferred(), deferred()];
  const started: number[] = [];
  const runs = gates.map((gate, i) =>
    slots.run(async () => {
      started.push(i);
      await gate.promise;
      return i;
    }),
  );
  await Promise.resolve();
  expect(started).toEqual([0, 1]);
  expect(slots.inFlight).toEqual({ running: 2, waiting: 1 });
  await expect(slots.run(async () => 'late')).rejects.toBeInstanceOf(DirectoryBusyError);

  gates[0]!.resolve();
  expect(await runs[0]).toBe(0);
  await Promise.resolve();
  expect(started).toEqual([0, 1, 2]);
  gates[1]!.reject(new Error('directory failed'));
  await expect(runs[1]).rejects.toThrow('directory failed');
  gates[2]!.resolve();
  expect(await runs[2]).toBe(2);
  // A failed check gives its slot back like a successful one.
  expect(slots.inFlight).toEqual({ running: 0, waiting: 0 });
});

test('busy is 503 temporarily_unavailable with Retry-After: 1', () => {
  const mapped = protocolErrorOf(new DirectoryBusyError());
  expect([mapped?.status, mapped?.code, mapped?.headers['Retry-After']]).toEqual([503, 'temporarily_unavailable', '1']);
});
