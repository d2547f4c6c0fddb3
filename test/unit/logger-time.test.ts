import { Writable } from 'node:stream';
import { createLogger } from '../../src/http/logger';

// The logger formats a line's timestamp once per millisecond and shares it: every line must still
// carry the ISO time of the moment it was written, the same text pino's isoTime gives.

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', new Writable({ write: (c, _e, done) => (lines.push(JSON.parse(String(c))), done()) }));
  return { lines, logger };
}

test('every line carries the ISO time at which it was written', async () => {
  const { lines, logger } = capture();
  const marks: Array<[number, number]> = [];
  for (let i = 0; i < 200; i++) {
    const before = Date.now();
    logger.info({ i }, 'line');
    marks.push([before, Date.now()]);
    // Lines in several milliseconds, so a stamp that is never remade would show.
    if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(lines).toHaveLength(200);
  lines.forEach((line, i) => {
    const time = line.time as string;
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const at = Date.parse(time);
    expect(at).toBeGreaterThanOrEqual(marks[i][0]);
    expect(at).toBeLessThanOrEqual(marks[i][1]);
  });
  expect(new Set(lines.map((l) => l.time)).size).toBeGreaterThan(1);
});
