import { HashingBusyError, SecretHashing, hashSecret, unmatchableHash } from '../../src/crypto';
import { manualClock } from '../../src/clock';

const limits = { maxConcurrent: 2, maxQueued: 3 };

describe('the bound on concurrent scrypt work', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashSecret('correct horse battery staple');
  });

  test('at most maxConcurrent verifications run at once; maxQueued more wait and then run', async () => {
    const hashing = new SecretHashing(limits, manualClock(0));
    const answers = await Promise.all(Array.from({ length: 5 }, () => hashing.verify('correct horse battery staple', stored)));
    expect(answers).toEqual([true, true, true, true, true]);
    expect([hashing.runs, hashing.peakRunning, hashing.refused]).toEqual([5, 2, 0]);
  });

  test('beyond the queue a verification is refused at once with HashingBusyError, and runs no scrypt', async () => {
    const hashing = new SecretHashing(limits, manualClock(0));
    const answers = await Promise.allSettled(Array.from({ length: 7 }, () => hashing.verify('wrong', stored)));
    const refused = answers.filter((a) => a.status === 'rejected');
    expect(refused).toHaveLength(2);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(HashingBusyError);
    expect((refused[0] as PromiseRejectedResult).reason.retryAfterSeconds).toBeGreaterThan(0);
    expect([hashing.runs, hashing.refused]).toEqual([5, 2]);
  });

  test('close refuses what waits and what comes, and lets what runs finish', async () => {
    const hashing = new SecretHashing({ maxConcurrent: 1, maxQueued: 1 }, manualClock(0));
    const running = hashing.verify('correct horse battery staple', stored);
    const waiting = hashing.verify('correct horse battery staple', stored);
    hashing.close();
    await expect(waiting).rejects.toBeInstanceOf(HashingBusyError);
    await expect(hashing.verify('correct horse battery staple', stored)).rejects.toBeInstanceOf(HashingBusyError);
    expect(await running).toBe(true);
  });

  test('limits must be whole numbers (maxConcurrent at least 1)', () => {
    expect(() => new SecretHashing({ maxConcurrent: 0, maxQueued: 1 }, manualClock(0))).toThrow(RangeError);
    expect(() => new SecretHashing({ maxConcurrent: 1, maxQueued: -1 }, manualClock(0))).toThrow(RangeError);
    expect(() => new SecretHashing({ maxConcurrent: 1, maxQueued: 0 }, manualClock(0))).not.toThrow();
  });

  test('the dummy verification runs one scrypt and answers false', async () => {
    const hashing = new SecretHashing(limits, manualClock(0));
    expect(await hashing.verifyAgainstDummy('anything')).toBe(false);
    expect(hashing.runs).toBe(1);
  });

  test('an unmatchable hash has the stored format and matches nothing', async () => {
    const dummy = unmatchableHash();
    expect(dummy).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await new SecretHashing(limits, manualClock(0)).verify('', dummy)).toBe(false);
  });
});

describe('client secret verification memory', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashSecret('a-high-entropy-client-secret');
  });

  test('a verified secret is remembered: the second check runs no scrypt', async () => {
    const hashing = new SecretHashing(limits, manualClock(Date.UTC(2030, 0, 1)));
    expect(hashing.knownClientSecret('a-high-entropy-client-secret', stored)).toBe(false);
    expect(await hashing.verifyClientSecret('a-high-entropy-client-secret', stored)).toBe(true);
    expect(hashing.knownClientSecret('a-high-entropy-client-secret', stored)).toBe(true);
    expect(await hashing.verifyClientSecret('a-high-entropy-client-secret', stored)).toBe(true);
    expect(hashing.runs).toBe(1);
  });

  test('identical checks arriving together share one scrypt', async () => {
    const hashing = new SecretHashing(limits, manualClock(0));
    const answers = await Promise.all(Array.from({ length: 20 }, () => hashing.verifyClientSecret('a-high-entropy-client-secret', stored)));
    expect(answers.every(Boolean)).toBe(true);
    expect(hashing.runs).toBe(1);
  });

  test('a wrong secret is refused every time and never remembered', async () => {
    const hashing = new SecretHashing(limits, manualClock(0));
    expect(await hashing.verifyClientSecret('wrong', stored)).toBe(false);
    expect(await hashing.verifyClientSecret('wrong', stored)).toBe(false);
    expect(hashing.knownClientSecret('wrong', stored)).toBe(false);
    expect(hashing.runs).toBe(2);
  });

  test('the memory expires after ten minutes', async () => {
    const clock = manualClock(Date.UTC(2031, 0, 1));
    const hashing = new SecretHashing(limits, clock);
    await hashing.verifyClientSecret('a-high-entropy-client-secret', stored);
    clock.advance(10 * 60 * 1000);
    expect(hashing.knownClientSecret('a-high-entropy-client-secret', stored)).toBe(false);
    expect(await hashing.verifyClientSecret('a-high-entropy-client-secret', stored)).toBe(true);
    expect(hashing.runs).toBe(2);
  });

  test('a new stored hash (a changed secret) never matches what was remembered for the old one', async () => {
    const hashing = new SecretHashing(limits, manualClock(0));
    expect(await hashing.verifyClientSecret('rotating-secret', await hashSecret('rotating-secret'))).toBe(true);
    expect(await hashing.verifyClientSecret('rotating-secret', await hashSecret('the-new-secret'))).toBe(false);
  });
});
