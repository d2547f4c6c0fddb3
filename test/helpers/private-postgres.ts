import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './redis';
import { waitUntilReady } from './child-ready';

/**
 * A private PostgreSQL cluster (initdb in a temporary directory, its own port), so a test can stop,
 * freeze and restart a database without touching the shared one on 5432.
 *
 * PostgreSQL refuses to run as root: when the tests run as root, the directory is handed to the
 * `postgres` OS user and initdb/postgres are spawned with that uid/gid (Node's spawn option, so the
 * child's pid IS the postmaster's pid and SIGSTOP reaches it, no runuser process in between).
 */
export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly url: string;
  readonly port: number;
  /** Fast shutdown (SIGINT: sessions are ended) and waits for the postmaster to exit. */
  stop(): Promise<void>;
  /** Starts the postmaster again on the same port and data directory; resolves once it accepts queries. */
  start(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  /** SIGSTOP to the postmaster and all its children: connections stay open, nothing answers. */
  freeze(): void;
  /** SIGCONT to the children and the postmaster. */
  thaw(): void;
  /** Stops it (if running) and removes the directory. */
  destroy(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** Extra server settings (-c name=value), e.g. { max_connections: '20' }. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** The directory holding initdb and postgres: PG_BIN, else the newest /usr/lib/postgresql/<v>/bin, else PATH. */
export function postgresBinDir(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(root, versions[0]!, 'bin');
  }
  return undefined;
}

function binary(name: string): string {
  const dir = postgresBinDir();
  return dir ? path.join(dir, name) : name;
}

/** The uid/gid to run PostgreSQL as: ourselves, unless we are root (then the `postgres` user). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** Child pids of a process, read from /proc (the postmaster's backends, checkpointer, walwriter...). */
function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-pg-'));
  const dataDir = path.join(dir, 'data');
  const user = serverUser();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const spawnUser = user ? { uid: user.uid, gid: user.gid } : {};
  // A HOME the server user may read (root's HOME is not), and no PG* variables from the test process.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C', LC_ALL: 'C' };

  await new Promise<void>((resolve, reject) => {
    const init = spawn(binary('initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync'], {
      ...spawnUser,
      env,
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    init.stdout.on('data', (c: Buffer) => (output += c.toString()));
    init.stderr.on('data', (c: Buffer) => (output += c.toString()));
    init.once('error', reject);
    init.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (${code}): ${output}`))));
  });

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    // A throwaway cluster: durability against an OS crash is not what these tests measure.
    fsync: 'off',
    full_page_writes: 'off',
    shared_buffers: '16MB',
    max_connections: '60',
    ...options.settings,
  };
  const args = ['-D', dataDir, '-p', String(port)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);

  let child: ChildProcess | undefined;
  let frozen = false;

  const start = async () => {
    if (child) throw new Error('private postgres is already running');
    const proc = spawn(binary('postgres'), args, { ...spawnUser, env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    try {
      await waitUntilReady(proc, `postgres on port ${port}`, 'database system is ready to accept connections', 30_000);
    } catch (err) {
      if (child === proc) child = undefined;
      throw err;
    }
  };

  const thaw = () => {
    if (!child?.pid || !frozen) return;
    frozen = false;
    for (const pid of childPids(child.pid)) signal(pid, 'SIGCONT');
    signal(child.pid, 'SIGCONT');
  };

  const stop = async () => {
    const running = child;
    if (!running) return;
    thaw();
    child = undefined;
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    // Fast shutdown: open sessions are ended, so clients see their connections drop (a real outage).
    running.kill('SIGINT');
    const forced = setTimeout(() => running.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  };

  // A crashed test run must not leave a postmaster behind.
  const onExit = () => {
    if (child?.pid) {
      signal(child.pid, 'SIGCONT');
      signal(child.pid, 'SIGQUIT');
    }
  };
  process.once('exit', onExit);

  try {
    await start();
  } catch (err) {
    process.off('exit', onExit);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    freeze() {
      if (!child?.pid) throw new Error('private postgres is not running');
      frozen = true;
      // The postmaster first, so it forks no new backend while its children are being stopped.
      signal(child.pid, 'SIGSTOP');
      for (const pid of childPids(child.pid)) signal(pid, 'SIGSTOP');
    },
    thaw,
    async destroy() {
      await stop();
      process.off('exit', onExit);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
