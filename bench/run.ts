import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/paths';
import { goals } from './goals';
import { measureAll } from './measure';
import { writeResults } from './results';
import { withRatios } from './rows';
import { redisAnswers } from './services';
import { readSettings, type Settings } from './settings';
import { textTable } from './table';
import { setUpTargets, type Setup } from './targets';
import { ensureWrk } from './wrk';

// `npm run bench` (README "Benchmarks"): a stub upstream, the lean baseline, the Koa floor and the
// gateways, each in its own process; wrk against every target in interleaved rounds; the table on
// standard output, JSON, Markdown and an SVG chart of the ratios in bench/results/.

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

function wrkVersion(wrk: string): string | null {
  const out = spawnSync(wrk, ['-v'], { encoding: 'utf8' });
  return /wrk \S+/.exec(`${out.stdout}${out.stderr}`)?.[0] ?? null;
}

async function run(settings: Settings, wrk: string): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-bench-'));
  const redisUrl = (await redisAnswers(settings.redisUrl)) ? settings.redisUrl : null;
  if (!redisUrl) progress(`no Redis at ${settings.redisUrl}: nonces in memory, no workers target`);
  const setup: Setup = { settings, workDir, redisUrl, servers: [], databases: [] };
  try {
    progress('starting the servers');
    const targets = await setUpTargets(setup);
    const rows = withRatios(await measureAll({ wrk, settings, workDir }, targets, progress));
    const checks = goals(rows);
    process.stdout.write(textTable(rows, checks) + '\n');
    const environment = { node: process.version, wrk: wrkVersion(wrk), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, cache: redisUrl ? 'redis' : 'memory' };
    const { targets: chosen, durationSeconds, rounds, warmupSeconds, connections, threads, logLevel, gatewayFlags } = settings;
    const record = { date: new Date().toISOString(), settings: { targets: chosen, durationSeconds, rounds, warmupSeconds, connections, threads, logLevel, gatewayFlags }, environment, rows, goals: checks };
    for (const file of writeResults(path.join(projectRoot, 'bench', 'results'), record)) progress(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await Promise.allSettled([...setup.servers].reverse().map((s) => s.stop()));
    await Promise.allSettled(setup.databases.map((d) => d.drop()));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

let settings: Settings;
let wrk: string;
try {
  settings = readSettings(process.env);
  wrk = ensureWrk(progress);
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exit(2);
}
run(settings, wrk).catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
