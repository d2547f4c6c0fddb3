import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { buildIfNeeded, repoRoot } from '../helpers/build';
import { cliRunner } from '../helpers/cli';
import { deepMerge } from '../../src/config';
import { destroyDataSource } from '../../src/storage';
import { POSTGRES_URL } from '../helpers/postgres';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { freePort, throwawayRedis, type ThrowawayRedis } from '../helpers/redis';
import { cliBinary } from '../helpers/serve';
import { startUpstream, type TestUpstream, type UpstreamHandler } from '../helpers/upstream';

/**
 * Several `oauth-gateway serve` processes (the compiled CLI, as operators run it) sharing one
 * database and one private redis-server, behind one public URL as a load balancer would present them.
 * A test can kill, stop and restart nodes, stop and restart Redis, and read every node's log.
 */

/** The public address every node is configured with (server.publicUrl): OAuth 1.0a signatures are made for it. */
export const PUBLIC_URL = 'http://gateway.cluster.test';

export type ClusterDatabase =
  /** The SQLite file in the shared data dir (one machine only). */
  | 'sqlite'
  /** A fresh database of its own on the shared PostgreSQL, dropped at close. */
  | 'postgres'
  /** A private PostgreSQL cluster (initdb in a temp dir) the test can stop, freeze and restart: cluster.postgres. */
  | 'private-postgres';

export interface ClusterOptions {
  /** A label for log files under test-artifacts/cluster/. */
  label: string;
  database: ClusterDatabase;
  /** A private redis-server started for the cluster (default), or none (the in-process memory cache). */
  redis?: 'private' | 'none';
  /** How many nodes start at once (default 2). */
  nodes?: number;
  /** Merged over the cluster's config file, which every node reads (one node's own settings: startNode's env, GATEWAY_*). */
  config?: Record<string, unknown>;
}

export interface GatewayNode {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code, or the signal that ended the process. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** Everything it printed so far (JSON log lines on stdout, anything on stderr). */
  output(): string;
  /** The JSON log lines so far. */
  logLines(): Array<Record<string, unknown> & { level: number | string; msg: string }>;
  /** kill -9: no goodbye to anyone. */
  kill(): Promise<number | NodeJS.Signals | null>;
  /** SIGTERM: the node's own shutdown. */
  stop(): Promise<number | NodeJS.Signals | null>;
}

export interface Seed {
  user: { username: string; password: string };
  /** A confidential client for password, client_credentials and refresh_token. */
  client: { id: string; secret: string };
  /** An OAuth 1.0a consumer trusted for xAuth. */
  consumer: { key: string; secret: string };
}

export interface Cluster {
  readonly nodes: GatewayNode[];
  readonly upstream: TestUpstream;
  /** What the upstream's slow path is serving (reset peak to measure one burst). */
  readonly slow: SlowRequests;
  /** The private redis-server, when the cluster has one. */
  readonly redis: ThrowawayRedis | null;
  /** The private PostgreSQL cluster, with database 'private-postgres'. */
  readonly postgres: PrivatePostgres | null;
  /** The PostgreSQL URL the nodes use, or null on SQLite. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly configFile: string;
  /** Starts one more node (on a given port to restart a killed one where it was). */
  startNode(options?: { name?: string; port?: number; env?: Record<string, string> }): Promise<GatewayNode>;
  /** Runs an admin command of the CLI (its entry, in the test process) against the cluster's config; returns its JSON answer. */
  cli(...args: string[]): Promise<any>;
  /** A user, a confidential OAuth 2.0 client and an xAuth consumer, made with the CLI. */
  seed(): Promise<Seed>;
  /** Row counts straight from the database (SQL on the cluster's database). */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** Routes every cluster config has: a protected API, a public route, and routes to broken upstreams. */
function routes(upstream: string, unreachable: string) {
  return [
    { prefix: '/api', upstream, accept: ['oauth1', 'oauth2'] },
    { prefix: '/open', upstream, accept: ['public'] },
    // Nothing listens there: connection refused, 502.
    { prefix: '/down', upstream: unreachable, accept: ['public'] },
    { prefix: '/down-api', upstream: unreachable, accept: ['oauth1', 'oauth2'] },
    // The stub upstream never answers .../hang: 504 after a second.
    { prefix: '/silent', upstream, accept: ['public'], timeoutSeconds: 1 },
    { prefix: '/silent-api', upstream, accept: ['oauth1', 'oauth2'], timeoutSeconds: 1 },
  ];
}

/** One statement on its own connection (pg through TypeORM, as the gateway reaches PostgreSQL). */
async function postgresQuery(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const ds = new DataSource({ type: 'postgres', url, entities: [], synchronize: false });
  await ds.initialize();
  try {
    return await ds.query(sql);
  } finally {
    await destroyDataSource(ds);
  }
}

/** Requests the stub upstream is answering slowly right now, and the most at once. */
export interface SlowRequests {
  inFlight: number;
  peak: number;
}

/** The stub upstream answers `.../slow?ms=N` after N milliseconds (a busy API); the rest as usual. */
function slowAnswers(stats: SlowRequests): UpstreamHandler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    if (!url.pathname.endsWith('/slow')) return false;
    const ms = Number(url.searchParams.get('ms') ?? '300');
    stats.inFlight += 1;
    stats.peak = Math.max(stats.peak, stats.inFlight);
    const timer = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ slow: ms }));
    }, ms);
    res.once('close', () => {
      clearTimeout(timer);
      stats.inFlight -= 1;
    });
    return true;
  };
}

async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gw_cluster_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    await postgresQuery(POSTGRES_URL, sql);
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

function spawnNode(name: string, cwd: string, configFile: string, port: number, env: Record<string, string>): Promise<GatewayNode> {
  const child = spawn(process.execPath, [cliBinary, '--config', configFile, 'serve', '--json', '--port', String(port)], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d.toString()));
  child.stderr!.on('data', (d) => (out += d.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const signal = (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    return exited;
  };
  return new Promise<GatewayNode>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (!line) return;
      clearInterval(timer);
      const url = JSON.parse(line).url as string;
      resolve({
        name,
        url,
        port: Number(new URL(url).port),
        child,
        exited,
        output: () => out,
        logLines: () =>
          out
            .split('\n')
            .filter((l) => l.startsWith('{"level"'))
            .map((l) => JSON.parse(l)),
        kill: () => signal('SIGKILL'),
        stop: () => signal('SIGTERM'),
      });
    }, 25);
    exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`node ${name} exited with ${code} before listening:\n${out}`));
    });
  });
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  buildIfNeeded();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-cluster-'));
  const dataDir = path.join(dir, 'data');
  const configFile = path.join(dir, 'gateway.json');
  const nodes: GatewayNode[] = [];
  let upstream: TestUpstream | undefined;
  let redis: ThrowawayRedis | null = null;
  let database: { url: string; drop: () => Promise<void> } | null = null;
  let postgres: PrivatePostgres | null = null;
  const slow: SlowRequests = { inFlight: 0, peak: 0 };
  let sqlite: import('sqlite3').Database | null = null;
  const admin = cliRunner({ GATEWAY_DATA_DIR: dataDir });

  const close = async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    const artifacts = path.join(repoRoot, 'test-artifacts', 'cluster', options.label);
    fs.mkdirSync(artifacts, { recursive: true });
    for (const n of nodes) fs.writeFileSync(path.join(artifacts, `${n.name}.log`), n.output());
    if (sqlite) await new Promise<void>((resolve) => sqlite!.close(() => resolve()));
    await upstream?.close();
    await redis?.dispose();
    await database?.drop();
    await postgres?.destroy();
    admin.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    upstream = await startUpstream('api', slowAnswers(slow));
    if (options.redis !== 'none') redis = await throwawayRedis();
    if (options.database === 'postgres') database = await createPostgresDatabase();
    if (options.database === 'private-postgres') postgres = await startPrivatePostgres();
    const databaseUrl = options.database === 'sqlite' ? null : (postgres?.url ?? database!.url);
    const config = deepMerge(
      {
        dataDir,
        demo: false,
        // Every node of a deployment needs the same key (it opens the OAuth 1.0a secrets another sealed).
        secretKey: randomBytes(32).toString('hex'),
        server: { host: '127.0.0.1', publicUrl: PUBLIC_URL },
        database: { url: databaseUrl },
        redis: { url: redis?.url ?? null },
        log: { level: 'info' },
        routes: routes(upstream.url, `http://127.0.0.1:${await freePort()}`),
      },
      options.config ?? {},
    );
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

    let counter = 0;
    const cluster: Cluster = {
      nodes,
      upstream,
      slow,
      redis,
      postgres,
      databaseUrl,
      dataDir,
      configFile,
      async startNode(opts = {}) {
        const name = opts.name ?? `node${++counter}`;
        const node = await spawnNode(name, dir, configFile, opts.port ?? 0, opts.env ?? {});
        nodes.push(node);
        return node;
      },
      async cli(...args) {
        // The CLI's own entry, in this process: loading the compiled CLI anew for every command costs a
        // second of CPU each on a busy two-core machine.
        const result = await admin.run('--config', configFile, ...args, '--json');
        if (result.code !== 0) throw new Error(`oauth-gateway ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
        return JSON.parse(result.stdout);
      },
      async seed() {
        const user = { username: `user-${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('base64url') };
        await cluster.cli('user', 'add', '--username', user.username, '--password', user.password);
        const client = await cluster.cli('client', 'add', '--name', 'Cluster client', '--grants', 'password,client_credentials,refresh_token', '--refresh');
        const consumer = await cluster.cli('consumer', 'add', '--name', 'Cluster consumer', '--xauth');
        return { user, client: { id: client.client_id, secret: client.client_secret }, consumer: { key: consumer.key, secret: consumer.secret } };
      },
      async query(sql) {
        if (databaseUrl) return postgresQuery(databaseUrl, sql);
        if (!sqlite) {
          const sqlite3 = await import('sqlite3');
          sqlite = await new Promise((resolve, reject) => {
            const db = new sqlite3.Database(path.join(dataDir, 'gateway.sqlite'), sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(db)));
          });
        }
        return new Promise((resolve, reject) => sqlite!.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as Array<Record<string, unknown>>))));
      },
      close,
    };
    await Promise.all(Array.from({ length: options.nodes ?? 2 }, (_, i) => cluster.startNode({ name: `node${i + 1}` })));
    // Nodes that start together migrate together (on PostgreSQL under an advisory lock).
    nodes.sort((a, b) => a.name.localeCompare(b.name));
    counter = nodes.length;
    return cluster;
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
