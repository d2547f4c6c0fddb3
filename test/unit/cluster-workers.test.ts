import { loadConfig } from '../../src/config';
import { workerCount } from '../../src/cluster/worker-count';
import { deathsInARow, restartDelayMs, restartPolicy } from '../../src/cluster/restart-policy';

describe('server.workers', () => {
  test('defaults to one worker', () => {
    expect(loadConfig({ env: {} }).server.workers).toBe(1);
  });

  test('auto is one worker per CPU, and at least one', () => {
    expect(workerCount('auto', 4)).toBe(4);
    expect(workerCount('auto', 0)).toBe(1);
    expect(workerCount(3, 4)).toBe(3);
  });

  test('GATEWAY_WORKERS takes a count or auto', () => {
    expect(loadConfig({ env: { GATEWAY_WORKERS: '3', GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379' } }).server.workers).toBe(3);
    expect(loadConfig({ env: { GATEWAY_WORKERS: 'auto', GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379' } }).server.workers).toBe('auto');
    expect(() => loadConfig({ env: { GATEWAY_WORKERS: 'many' } })).toThrow('config: GATEWAY_WORKERS: must be a whole number, got "many"');
  });

  test.each([0, 257, 1.5, 'all'])('%p is refused in one line', (workers) => {
    expect(() => loadConfig({ env: {}, overrides: { server: { workers } } })).toThrow('config: server.workers: must be a whole number from 1 to 256, or "auto"');
  });

  test('several workers without Redis are refused: the in-memory cache is per process', () => {
    expect(() => loadConfig({ env: {}, overrides: { server: { workers: 2 } } })).toThrow(
      'config: server.workers: 2 workers need shared state: set redis.url (GATEWAY_REDIS_URL), or run one worker (the in-memory cache is per process)',
    );
    expect(() => loadConfig({ env: { GATEWAY_WORKERS: '2' } })).toThrow(/^config: server\.workers \(GATEWAY_WORKERS\): 2 workers need shared state/);
  });

  test('several workers with Redis, or one without, are fine', () => {
    expect(loadConfig({ env: { GATEWAY_REDIS_URL: 'redis://127.0.0.1:6379' }, overrides: { server: { workers: 2 } } }).server.workers).toBe(2);
    expect(loadConfig({ env: {}, overrides: { server: { workers: 1 } } }).server.workers).toBe(1);
  });
});

describe('restarting a worker that died', () => {
  test('waits longer after each death in a row, up to the cap', () => {
    expect([1, 2, 3, 4].map(restartDelayMs)).toEqual([100, 200, 400, 800]);
    expect(restartDelayMs(50)).toBe(restartPolicy.maxDelayMs);
  });

  test('a worker that had run stably starts the count again; a quick death adds to it', () => {
    expect(deathsInARow(4, restartPolicy.stableMs)).toBe(1);
    expect(deathsInARow(4, restartPolicy.stableMs - 1)).toBe(5);
    expect(deathsInARow(0, 5)).toBe(1);
  });
});
