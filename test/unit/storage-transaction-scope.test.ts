import { TransactionScope } from '../../src/storage/transaction-scope';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('TransactionScope', () => {
  it('is inside only within run(), including what the callback awaits', async () => {
    const scope = new TransactionScope();
    expect(scope.inside()).toBe(false);
    const seen: boolean[] = [];
    await scope.run(async () => {
      seen.push(scope.inside());
      await tick();
      seen.push(scope.inside());
    });
    expect(seen).toEqual([true, true]);
    expect(scope.inside()).toBe(false);
  });

  it('keeps the mark for a transaction still open after another one ended', async () => {
    const scope = new TransactionScope();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: boolean[] = [];
    const long = scope.run(async () => {
      await held;
      seen.push(scope.inside());
    });
    await scope.run(async () => undefined);
    // Outside both: the code here did not start inside a transaction.
    expect(scope.inside()).toBe(false);
    release();
    await long;
    expect(seen).toEqual([true]);
  });

  it('ends the mark when the callback fails', async () => {
    const scope = new TransactionScope();
    await expect(scope.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(scope.inside()).toBe(false);
    await scope.run(async () => expect(scope.inside()).toBe(true));
  });
});
