import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { addClient } from '../src/accounts/admin';
import { systemClock } from '../src/clock';
import { SecretBox } from '../src/crypto';
import { openStore } from '../src/storage';
import { startChild, type Child } from './processes';

// The token endpoint (client_credentials) under wrk, on SQLite and on PostgreSQL, next to the lean
// baseline (node:http + undici Pool.stream) in the same run: `node dist/bench/token-endpoint.js`
// after `npm run build`. Settings from the environment: TOKEN_BENCH_DURATION (s, 8),
// TOKEN_BENCH_CONNECTIONS (32), TOKEN_BENCH_DATABASES (sqlite,postgres), TOKEN_BENCH_PG_URL
// (postgres://postgres@127.0.0.1:5432/test; a private database is created next to it and dropped),
// TOKEN_BENCH_PROFILE_DIR (a directory: the gateway runs with --cpu-prof and writes its profile there).

const run = promisify(execFile);
const duration = Number(process.env.TOKEN_BENCH_DURATION ?? 8);
const connections = Number(process.env.TOKEN_BENCH_CONNECTIONS ?? 32);
const databases = (process.env.TOKEN_BENCH_DATABASES ?? 'sqlite,postgres').split(',').filter(Boolean);
const pgUrl = process.env.TOKEN_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const profileDir = process.env.TOKEN_BENCH_PROFILE_DIR;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function wrk(url: string, script?: string): Promise<{ rps: number; non2xx: number; text: string }> {
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, ...(script ? ['-s', script] : []), url];
  const { stdout } = await run('wrk', args);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  return { rps, non2xx, text: stdout };
}

async function adminQuery(sql: string): Promise<void> {
  const ds = new DataSource({ type: 'postgres', url: pgUrl, entities: [] });
  await ds.initialize();
  try {
    await ds.query(sql);
  } finally {
    await ds.destroy();
  }
}

async function tokenRate(database: string, luaDir: string): Promise<{ rps: number; non2xx: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-token-bench-'));
  const pgName = `bench_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string | null = null;
  if (database === 'postgres') {
    await adminQuery(`CREATE DATABASE ${pgName}`);
    const u = new URL(pgUrl);
    u.pathname = `/${pgName}`;
    databaseUrl = u.toString();
  }
  let gateway: Child | undefined;
  try {
    const secretKey = randomBytes(32);
    const store = await openStore({ databaseUrl, dataDir });
    let client;
    try {
      client = await addClient({ store, secrets: new SecretBox(secretKey), clock: systemClock }, { id: 'bench-client', name: 'Bench', grants: 'client_credentials', scopes: 'read' });
    } finally {
      await store.close();
    }
    const port = await freePort();
    const config = {
      server: { host: '127.0.0.1', port, publicUrl: `http://127.0.0.1:${port}` },
      dataDir,
      database: { url: databaseUrl },
      secretKey: secretKey.toString('hex'),
      demo: false,
      log: { level: 'warn', api: 'standard' },
    };
    const flags = ['--max-old-space-size=160', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=token-${database}.cpuprofile`] : [])];
    gateway = await startChild(`gateway (${database})`, 'gateway-child.js', [JSON.stringify(config)], flags);
    const basic = `Basic ${Buffer.from(`${client.client.clientId}:${client.secret}`).toString('base64')}`;
    const lua = path.join(luaDir, 'token.lua');
    fs.writeFileSync(
      lua,
      `wrk.method = "POST"\nwrk.body = "grant_type=client_credentials"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\nwrk.headers["Authorization"] = "${basic}"\n`,
    );
    const first = await fetch(`${gateway.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic }, body: 'grant_type=client_credentials' });
    if (first.status !== 200) throw new Error(`token endpoint answered ${first.status}`);
    const result = await wrk(`${gateway.url}/oauth2/token`, lua);
    return result;
  } finally {
    await gateway?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (database === 'postgres') await adminQuery(`DROP DATABASE IF EXISTS ${pgName}`);
  }
}

async function main(): Promise<void> {
  const luaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-token-lua-'));
  const children: Child[] = [];
  try {
    const upstream = await startChild('stub upstream', 'stub-upstream.js');
    children.push(upstream);
    const baseline = await startChild('lean baseline', 'token-baseline.js', [upstream.url]);
    children.push(baseline);
    const lean = await wrk(`${baseline.url}/items`);
    await Promise.allSettled(children.reverse().map((c) => c.stop()));
    const rows: Array<{ target: string; rps: number; ratio: number; non2xx: number }> = [{ target: 'lean baseline (Pool.stream)', rps: lean.rps, ratio: 1, non2xx: lean.non2xx }];
    for (const database of databases) {
      const r = await tokenRate(database, luaDir);
      rows.push({ target: `token endpoint client_credentials, ${database}`, rps: r.rps, ratio: r.rps / lean.rps, non2xx: r.non2xx });
    }
    process.stdout.write(`wrk -t1 -c${connections} -d${duration}s\n| target | req/s | ratio | non-2xx |\n| --- | --- | --- | --- |\n`);
    for (const row of rows) process.stdout.write(`| ${row.target} | ${Math.round(row.rps)} | ${row.ratio.toFixed(2)} | ${row.non2xx} |\n`);
  } finally {
    fs.rmSync(luaDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`token bench failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
