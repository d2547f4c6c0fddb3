import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded, repoRoot } from '../helpers/build';

// Standard output's log lines wait in a batch (12 KB or 200 ms, http/batched-lines.ts) and leave in
// one synchronous write: none may be lost or reordered when the process exits, whichever way it
// exits short of SIGKILL, and a quiet logger's lines still come out on their own within the interval.

beforeAll(() => buildIfNeeded(), 120_000);

const logger = path.join(repoRoot, 'dist', 'src', 'http', 'logger.js');

function run(body: string): Promise<{ code: number | null; lines: Array<{ level: string; msg: string; i?: number }> }> {
  const proc = spawn(process.execPath, ['-e', `const { createLogger } = require(${JSON.stringify(logger)});\n${body}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  // Decoded as a stream: a pipe's chunk may end inside a character.
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (proc.kill('SIGKILL'), reject(new Error(`child did not exit: ${err}`))), 20_000);
    proc.once('close', (code) => {
      clearTimeout(timer);
      try {
        resolve({ code, lines: out.trim() === '' ? [] : out.trim().split('\n').map((l) => JSON.parse(l)) });
      } catch (e) {
        reject(new Error(`${(e as Error).message}: ${out.slice(0, 500)} ${err}`));
      }
    });
  });
}

const numbered = (lines: Array<{ i?: number }>) => lines.filter((l) => l.i !== undefined).map((l) => l.i);
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

test('process.exit() right after logging: every waiting line is written, in order', async () => {
  // 30 short lines stay under the batch size: only the exit listener can write them.
  const { code, lines } = await run(`const log = createLogger('info'); for (let i = 0; i < 30; i++) log.info({ i }, 'line'); process.exit(3);`);
  expect(code).toBe(3);
  expect(numbered(lines)).toEqual(upTo(30));
}, 30_000);

test('many batches, then the event loop runs dry: all lines, in order, none twice', async () => {
  const { code, lines } = await run(`const log = createLogger('info'); for (let i = 0; i < 5000; i++) log.info({ i, pad: 'x'.repeat(i % 300) }, 'line');`);
  expect(code).toBe(0);
  expect(numbered(lines)).toEqual(upTo(5000));
}, 30_000);

test('an uncaught exception: the lines before it are written', async () => {
  const { code, lines } = await run(`const log = createLogger('info'); for (let i = 0; i < 10; i++) log.info({ i }, 'line'); setImmediate(() => { throw new Error('boom'); });`);
  expect(code).toBe(1);
  expect(numbered(lines)).toEqual(upTo(10));
}, 30_000);

test('a quiet logger writes its line within the interval, while the process still runs', async () => {
  const proc = spawn(process.execPath, ['-e', `const { createLogger } = require(${JSON.stringify(logger)}); createLogger('info').info({ i: 0 }, 'quiet'); setTimeout(() => {}, 4000);`], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const started = Date.now();
    const first = await new Promise<string>((resolve, reject) => {
      proc.stdout!.once('data', (d) => resolve(d.toString()));
      proc.once('exit', () => reject(new Error('exited before its line showed')));
    });
    expect(JSON.parse(first)).toMatchObject({ msg: 'quiet', i: 0 });
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    proc.kill('SIGKILL');
  }
}, 30_000);

test('logger.flush(cb) writes what waits before calling back', async () => {
  const { code, lines } = await run(`
const log = createLogger('info');
log.info({ i: 0 }, 'before');
log.flush(() => { process.stdout.write(JSON.stringify({ level: 'info', msg: 'after flush', i: 1 }) + '\\n'); log.info({ i: 2 }, 'after'); });
`);
  expect(code).toBe(0);
  expect(numbered(lines)).toEqual([0, 1, 2]);
}, 30_000);

test('lines of every size, in UTF-8 of one to four bytes a character: each arrives whole and in order, lines larger than a batch included', async () => {
  // Batches cut at 12 KB whatever the lines' sizes: lines far larger than a batch, and characters of
  // two to four bytes on either side of a cut, must come out whole.
  const { code, lines } = await run(`
const log = createLogger('info');
const pieces = ['a', 'é', '€', '😀'];
for (let i = 0; i < 400; i++) {
  const size = i % 50 === 7 ? 9000 + i : (i * 37) % 2500;
  log.info({ i, pad: pieces[i % 4].repeat(size) }, 'line');
}
`);
  expect(code).toBe(0);
  const pieces = ['a', 'é', '€', '😀'];
  const numberedLines = lines.filter((l) => l.i !== undefined) as unknown as Array<{ i: number; pad: string }>;
  expect(numberedLines.map((l) => l.i)).toEqual(upTo(400));
  for (const { i, pad } of numberedLines) expect(pad).toBe(pieces[i % 4].repeat(i % 50 === 7 ? 9000 + i : (i * 37) % 2500));
}, 30_000);
