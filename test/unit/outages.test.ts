import { Writable } from 'node:stream';
import { manualClock } from '../../src/clock';
import { createLogger } from '../../src/http/logger';
import { Outages } from '../../src/http/outages';
import { eventually } from '../helpers/redis';

// An outage is two log lines: when the first request is refused, and when a probe finds the
// dependency back, with the count of refused requests. Nothing per request.

function setup(up: { database: boolean; cache: boolean }) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', new Writable({ write: (c, _e, done) => (lines.push(JSON.parse(String(c))), done()) }));
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const probes = { database: 0, cache: 0 };
  const outages = new Outages({
    logger,
    clock,
    probeIntervalMs: 10,
    probes: {
      database: async () => (probes.database++, up.database),
      cache: async () => (probes.cache++, up.cache),
    },
  });
  return { lines, clock, probes, outages };
}

test('one line when it starts, none per refusal, one with the count and duration when the probe finds it back', async () => {
  const up = { database: false, cache: true };
  const { lines, clock, probes, outages } = setup(up);
  try {
    for (let i = 0; i < 7; i++) outages.refused('database', { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432', errorCode: 'ECONNREFUSED' });
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', dependency: 'database', cause: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432', errorCode: 'ECONNREFUSED' } })]);
    expect(outages.ongoing('database')).toBe(true);
    await eventually(async () => probes.database, (n) => n >= 3, 5_000, 5); // still down: probing on, quietly
    expect(lines).toHaveLength(1);

    clock.advance(12_000);
    up.database = true;
    await eventually(async () => outages.ongoing('database'), (o) => !o, 5_000, 5);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 'warn', dependency: 'database', refused: 7, seconds: 12 });
    expect(String(lines[1]!.msg)).toContain('7 requests were refused');
    expect(probes.cache).toBe(0); // no outage, no probe
  } finally {
    outages.close();
  }
});

test('a probe that hangs counts as down (bounded by the interval), and close() stops probing', async () => {
  const { lines, outages } = setup({ database: true, cache: true });
  const hanging = new Outages({
    logger: createLogger('silent'),
    clock: Date.now,
    probeIntervalMs: 10,
    probes: { database: () => new Promise<boolean>(() => undefined), cache: async () => true },
  });
  hanging.refused('database');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(hanging.ongoing('database')).toBe(true);
  hanging.close();
  expect(hanging.ongoing('database')).toBe(false);
  outages.close();
  outages.refused('cache'); // after close: nothing opens, nothing is logged
  expect(lines).toHaveLength(0);
});
