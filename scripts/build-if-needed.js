'use strict';
// `npm start` must work right after `npm install`: compile when dist/ is missing or older than the sources.
//
// Several processes may ask at once (jest workers each running a suite that starts the compiled CLI):
// one compiles, under a lock, and the others wait for it, then find dist/ up to date. The check
// itself is made under the lock too: tsc writes dist/src/main.js before it has written the rest, so
// a check beside a running build could find main.js new and start a half-written dist/.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'dist', 'src', 'main.js');
// Outside the checkout (no stray file in it), one per checkout.
const lock = path.join(os.tmpdir(), `oauth-gateway-build-${crypto.createHash('sha256').update(root).digest('hex').slice(0, 16)}.lock`);
const LOCK_WAIT_MS = 10 * 60 * 1000;

// Only TypeScript sources count: the benchmark's results (bench/results/) must not force a rebuild.
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (!entry.isDirectory() && !entry.name.endsWith('.ts')) continue;
    const t = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The lock is a directory (mkdir is atomic) holding the owner's pid; a dead owner's lock is taken over. */
function acquire() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    let age = 0;
    try {
      age = Date.now() - fs.statSync(lock).mtimeMs;
      owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    } catch {
      // Just made, pid not yet written (or just removed): look again shortly.
    }
    // An owner that died before writing its pid leaves an empty lock: old and empty is abandoned.
    const abandoned = Number.isInteger(owner) && owner > 0 ? !alive(owner) : age > 10_000;
    if (abandoned) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`oauth-gateway: gave up waiting for another build to finish (lock ${lock})`);
    sleep(100);
  }
}

function release() {
  fs.rmSync(lock, { recursive: true, force: true });
}

acquire();
try {
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'bench')));
  if (built < sources) {
    process.stderr.write('oauth-gateway: compiling TypeScript (first start or changed sources)...\n');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
} finally {
  release();
}
