import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { waitUntilReady } from './child-ready';

/** The shared Redis every integration suite may use (isolated by key prefix). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other suite or worker uses; only [a-z0-9:] so it is safe in a SCAN pattern. */
export function randomKeyPrefix(label: string): string {
  return `test:${label.toLowerCase().replace(/[^a-z0-9]/g, '')}:${randomBytes(6).toString('hex')}:`;
}

/**
 * QUIT, then wait for the socket to close (QUIT is answered before the server closes it): a worker
 * that goes on, or exits, leaves no connection behind.
 */
export async function quitRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  const ended = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      redis.disconnect();
      resolve();
    }, 2000);
    redis.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await redis.quit().catch(() => redis.disconnect());
  await ended;
}

/** Deletes every key under the prefix (test clean-up). */
export async function deleteKeysWithPrefix(prefix: string, url = REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    await quitRedis(redis);
  }
}

/** Keys under the prefix, read straight from Redis (to check what the cache really wrote). */
export async function keysWithPrefix(prefix: string, url = REDIS_URL): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found.sort();
  } finally {
    await quitRedis(redis);
  }
}

/** A port nothing listens on right now: the OS picks it, we release it. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A private redis-server child process on a fixed port, so a test can kill it (a real outage) and
 * start it again on the same port (recovery) without touching the shared Redis.
 */
export interface ThrowawayRedis {
  readonly port: number;
  readonly url: string;
  /** Starts (or restarts) the server and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Kills the server with SIGKILL (no goodbye to clients) and waits for it to exit. */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open but nothing answers. */
  freeze(): void;
  /** Lets a frozen server run again (SIGCONT). */
  thaw(): void;
  /** Kills it if running and removes its directory. */
  dispose(): Promise<void>;
}

export async function throwawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-redis-'));
  let child: ChildProcess | undefined;

  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };

  const start = async () => {
    if (child) throw new Error('throwaway redis is already running');
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    try {
      await waitUntilReady(proc, `redis-server on port ${port}`, 'Ready to accept connections', 10_000);
    } catch (err) {
      if (child === proc) child = undefined;
      throw err;
    }
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    kill,
    freeze() {
      if (!child) throw new Error('throwaway redis is not running');
      child.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
    async dispose() {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the check passes or the deadline is reached; returns the last result (for an assertion). */
export async function eventually<T>(check: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (accept(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
