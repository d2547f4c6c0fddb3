import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { DataSource } from 'typeorm';

// What the benchmark needs from the machine: free ports, the shared Redis, a private PostgreSQL database.

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when a Redis answers PING at the URL within half a second. */
export function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export interface PrivateDatabase {
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource({ type: 'postgres', url, entities: [], synchronize: false, connectTimeoutMS: 3000 });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

/**
 * A database of the benchmark's own on the PostgreSQL at `url` (which may be shared: nothing else
 * there is touched), dropped afterwards even if a gateway still holds connections to it.
 */
export async function privateDatabase(url: string): Promise<PrivateDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await withClient(url, (c) => c.query(`CREATE DATABASE "${name}"`));
  const own = new URL(url);
  own.pathname = `/${name}`;
  return { url: own.toString(), drop: () => withClient(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
}
