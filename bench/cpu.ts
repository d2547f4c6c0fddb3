import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/paths';
import { startGateway, type Gateway } from './gateways';
import { BENCH_AUDIENCE, BENCH_GATEWAY_CLIENT } from './issuer-client';
import { requestAuthorizer, writeSignedAuthorizations } from './oauth1';
import { startBenchServer, type Server } from './processes';
import { redisAnswers } from './services';
import { readSettings } from './settings';
import { ensureWrk, runWrk } from './wrk';
import { LAYERS, layerCounts, type Layer } from './perf-layers';
import { PERF_HZ, perfMissing, recordPerf } from './perf-record';
import { wrkScript, type RequestSpec } from './wrk-script';

// `npm run bench:cpu` (README "Benchmarks"): the CPU time a server spends per request, from
// /proc/<pid>/stat (utime + stime) before and after a fixed wrk run, the median of interleaved rounds.
// On a shared machine requests/s moves with everyone else's load; CPU per request moves far less.
// BENCH_CPU_ROOTS=label=/path,label2=/path2 compares gateways of several built checkouts side by side
// (same stub upstream, same baseline, rounds interleaved); the default is this checkout alone.

const progress = (line: string) => process.stderr.write(`bench:cpu: ${line}\n`);

/** utime and stime of a process, in microseconds: user space (JavaScript, V8, libuv) and the kernel (system calls, loopback TCP). */
function cpuMicros(pid: number): { user: number; system: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime field 14 and stime field 15 of the whole line.
  return { user: (Number(fields[11]) * 1e6) / 100, system: (Number(fields[12]) * 1e6) / 100 };
}

interface CpuTarget {
  label: string;
  url: string;
  pid: number;
  /** The checkout it runs from: frames under its dist/src are the project's own (perf layers). */
  root: string;
  request: RequestSpec;
  authorize?: (nonce: string, timestamp: number) => string;
}

/** CPU µs per request by layer, a column per target, from the perf round (slower than the others: perf's own cost). */
function layerTable(labels: string[], layers: Map<string, Map<Layer, number>>): string[] {
  const lines = [`| layer (perf, round 1) | ${labels.join(' | ')} |`, `| --- |${' --- |'.repeat(labels.length)}`];
  for (const layer of LAYERS) {
    const cells = labels.map((l) => layers.get(l)?.get(layer) ?? 0);
    if (cells.every((c) => c < 0.05)) continue;
    lines.push(`| ${layer} | ${cells.map((c) => c.toFixed(1)).join(' | ')} |`);
  }
  const totals = labels.map((l) => [...(layers.get(l)?.values() ?? [])].reduce((a, b) => a + b, 0));
  lines.push(`| all | ${totals.map((c) => c.toFixed(1)).join(' | ')} |`);
  return lines;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  const settings = readSettings({ BENCH_DURATION: '5', BENCH_ROUNDS: '5', ...process.env });
  const wrk = ensureWrk(progress);
  // BENCH_CPU_PERF=1: the first timed round of every target also runs under Linux perf, and a table
  // of CPU by layer follows (perf-layers.ts); JIT frames get names from --perf-basic-prof.
  const withPerf = process.env.BENCH_CPU_PERF === '1';
  if (withPerf) {
    const missing = perfMissing();
    if (missing) {
      progress(`BENCH_CPU_PERF=1 needs Linux perf: ${missing}`);
      process.exit(2);
    }
  }
  const perfFlags = withPerf ? ['--perf-basic-prof'] : [];
  const builds = (process.env.BENCH_CPU_ROOTS || `this=${projectRoot}`).split(',').map((entry) => {
    const [label, root] = entry.split('=');
    return { label, root: path.resolve(root) };
  });
  // BENCH_CPU_FLAGS="label:flags|label:flags" runs each build once per set of node flags (heap settings, say).
  const flagSets = process.env.BENCH_CPU_FLAGS
    ? process.env.BENCH_CPU_FLAGS.split('|').map((entry) => {
        const at = entry.indexOf(':');
        return { label: entry.slice(0, at), flags: entry.slice(at + 1).split(' ').filter(Boolean) };
      })
    : [{ label: '', flags: settings.gatewayFlags }];
  for (const set of flagSets) set.flags = [...set.flags, ...perfFlags];
  const roots = builds.flatMap((build) =>
    flagSets.map((set) => ({ label: [build.label, set.label].filter(Boolean).join('/'), root: build.root, flags: set.flags })),
  );
  const wanted = settings.targets.filter((t) => ['baseline', 'public', 'bearer', 'oauth1', 'token-sqlite', 'jwt', 'introspection'].includes(t));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-cpu-'));
  const servers: Server[] = [];
  const redisUrl = (await redisAnswers(settings.redisUrl)) ? settings.redisUrl : null;
  try {
    const upstream = await startBenchServer('stub upstream', 'stub-upstream.js', []);
    servers.push(upstream);
    const targets: CpuTarget[] = [];
    if (wanted.includes('baseline')) {
      const baseline = await startBenchServer('baseline', 'lean-baseline.js', [upstream.url], perfFlags);
      servers.push(baseline);
      targets.push({ label: 'baseline', url: baseline.url, pid: baseline.pid, root: projectRoot, request: { method: 'GET', path: '/posts', headers: {} } });
    }
    // jwt and introspection: a JWT access token and an opaque token of the bench's external issuer
    // (bench/servers/bench-issuer.ts), verified once (with its JWKS, by introspection) and then
    // answered from the gateway's cache, as npm run bench's targets of those names.
    let issuer: { url: string; jwt: string; opaque: string } | null = null;
    if (wanted.includes('jwt') || wanted.includes('introspection')) {
      const server = await startBenchServer('bench issuer', 'bench-issuer.js', []);
      servers.push(server);
      const tokens = (await (await fetch(`${server.url}/bench-tokens`)).json()) as { jwt: string; opaque: string };
      issuer = { url: server.url, ...tokens };
    }
    for (const { label, root, flags } of roots) {
      if (!wanted.some((t) => t !== 'baseline')) break;
      const g: Gateway = await startGateway({
        name: `proxy-${label}`,
        workDir,
        upstreamUrl: upstream.url,
        redisUrl,
        databaseUrl: null,
        workers: 1,
        logLevel: settings.logLevel,
        nodeFlags: flags,
        oauth1: wanted.includes('oauth1'),
        root,
        ...(issuer && {
          issuers: [{ name: 'bench', issuer: issuer.url, audiences: [BENCH_AUDIENCE], introspection: BENCH_GATEWAY_CLIENT, cache: { activeSeconds: 3600 } }],
          routes: [{ prefix: '/ext', upstream: upstream.url, accept: ['issuer:bench'] }],
        }),
      });
      servers.push(g);
      if (wanted.includes('public')) targets.push({ label: `${label} public`, url: g.url, pid: g.pid, root, request: { method: 'GET', path: '/public/posts', headers: {} } });
      if (wanted.includes('bearer')) targets.push({ label: `${label} bearer`, url: g.url, pid: g.pid, root, request: { method: 'GET', path: '/api/posts', headers: { Authorization: `Bearer ${g.credentials.bearer}` } } });
      if (issuer && wanted.includes('jwt')) targets.push({ label: `${label} jwt`, url: g.url, pid: g.pid, root, request: { method: 'GET', path: '/ext/posts', headers: { Authorization: `Bearer ${issuer.jwt}` } } });
      if (issuer && wanted.includes('introspection')) {
        targets.push({ label: `${label} introspection`, url: g.url, pid: g.pid, root, request: { method: 'GET', path: '/ext/posts', headers: { Authorization: `Bearer ${issuer.opaque}` } } });
      }
      if (wanted.includes('token-sqlite')) {
        // The gateway's own SQLite database: POST /oauth2/token, client_credentials (one durable token row each).
        const form = { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: g.credentials.basic };
        targets.push({ label: `${label} token-sqlite`, url: g.url, pid: g.pid, root, request: { method: 'POST', path: '/oauth2/token', headers: form, body: 'grant_type=client_credentials' } });
      }
      if (wanted.includes('oauth1') && g.credentials.oauth1) {
        targets.push({ label: `${label} oauth1`, url: g.url, pid: g.pid, root, request: { method: 'GET', path: '/api/posts', headers: {} }, authorize: requestAuthorizer('GET', `${g.url}/api/posts`, g.credentials.oauth1) });
      }
    }
    const layers = new Map<string, Map<Layer, number>>();
    const once = async (target: CpuTarget, seconds: number, profile = false) => {
      const base = path.join(workDir, target.label.replace(/\W/g, '_'));
      let authorizationFile: string | undefined;
      if (target.authorize) {
        authorizationFile = `${base}.authorizations`;
        writeSignedAuthorizations(authorizationFile, seconds * 20_000, target.authorize, Date.now);
      }
      const script = wrkScript({ request: target.request, authorizationFile, threads: settings.threads });
      const recording = profile ? recordPerf(target.pid, `${base}.perf`) : null;
      const before = cpuMicros(target.pid);
      const result = await runWrk(wrk, { url: target.url, script, scriptFile: `${base}.lua`, seconds, connections: settings.connections, threads: settings.threads });
      const after = cpuMicros(target.pid);
      if (recording) {
        // Samples of CPU time at PERF_HZ: each stands for 1/PERF_HZ s of the process's CPU.
        const perSample = 1e6 / PERF_HZ / result.requests;
        const counts = layerCounts(await recording.stop(), path.join(target.root, 'dist', 'src') + path.sep);
        layers.set(target.label, new Map([...counts].map(([layer, n]) => [layer, n * perSample])));
        fs.rmSync(`${base}.perf`, { force: true });
      }
      const user = after.user - before.user;
      const system = after.system - before.system;
      const bad = result.socketErrors + result.httpErrors;
      if (bad > 0) progress(`${target.label}: ${bad} errors or non-2xx answers`);
      return { usPerRequest: (user + system) / result.requests, userPerRequest: user / result.requests, rps: result.requestsPerSecond };
    };
    if (settings.warmupSeconds > 0) for (const t of targets) await once(t, settings.warmupSeconds);
    const samples = new Map<string, Array<{ usPerRequest: number; userPerRequest: number; rps: number }>>(targets.map((t) => [t.label, []]));
    for (let round = 1; round <= settings.rounds; round++) {
      // Every other round in reverse order, so a slow spell does not always fall on the same targets.
      for (const t of round % 2 ? targets : [...targets].reverse()) samples.get(t.label)!.push(await once(t, settings.durationSeconds, withPerf && round === 1));
      progress(`round ${round}: ${targets.map((t) => `${t.label} ${samples.get(t.label)!.at(-1)!.usPerRequest.toFixed(1)} us`).join(', ')} (load ${os.loadavg()[0].toFixed(1)})`);
    }
    const lines = ['| target | CPU µs per request (median) | of which user space | rounds | req/s (median) |', '| --- | --- | --- | --- | --- |'];
    for (const t of targets) {
      const s = samples.get(t.label)!;
      lines.push(`| ${t.label} | ${median(s.map((x) => x.usPerRequest)).toFixed(1)} | ${median(s.map((x) => x.userPerRequest)).toFixed(1)} | ${s.map((x) => x.usPerRequest.toFixed(0)).join(' ')} | ${median(s.map((x) => x.rps)).toFixed(0)} |`);
    }
    if (withPerf) lines.push('', ...layerTable(targets.map((t) => t.label), layers));
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await Promise.allSettled([...servers].reverse().map((s) => s.stop()));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:cpu failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
