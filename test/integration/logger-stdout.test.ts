import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded, repoRoot } from '../helpers/build';
import { waitUntilReady } from '../helpers/child-ready';

// Log lines on standard output wait in a buffer (12 KB or 200 ms), but a warning is written at once
// with the lines before it. The child logs an info line and a warning, then blocks its event loop for
// good: the periodic flush can never run, so only the warning's own write can bring both lines out.

beforeAll(() => buildIfNeeded(), 120_000);

const child = `
const { createLogger } = require(${JSON.stringify(path.join(repoRoot, 'dist', 'src', 'http', 'logger.js'))});
const logger = createLogger('info');
logger.info('before the warning');
logger.warn({ marker: 'blocked-loop' }, 'the warning');
setImmediate(() => { for (;;) {} });
`;

test('a warning and the lines waiting before it are written while the event loop is blocked', async () => {
  const proc = spawn(process.execPath, ['-e', child], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d.toString()));
  try {
    await waitUntilReady(proc, 'the logging child', 'blocked-loop', 20_000);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['info', 'before the warning'],
      ['warn', 'the warning'],
    ]);
  } finally {
    proc.kill('SIGKILL');
  }
}, 60_000);
