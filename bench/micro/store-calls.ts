import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../../src/config';
import { Metrics } from '../../src/http/metrics';
import { storeCallObserver } from '../../src/http/store-calls';
import { openStore } from '../../src/storage';
import { observedStore } from '../../src/storage/observed-store';
import type { Store } from '../../src/storage/types';
import { Tracing } from '../../src/tracing';

// `npm run bench:store-calls`: what observing a store call costs (issue 19 item 1). The same
// method is called plain and through observedStore, over a stub that answers at once (so the
// difference is the wrapper: clock reads, histogram, span) and over a real SQLite read. Prints
// microseconds per call; interleaved rounds, best round of each, so a busy neighbour shows less.

const ROUNDS = 7;

type Call = () => Promise<unknown>;

async function perCallMicros(call: Call, n: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await call();
  return Number(process.hrtime.bigint() - started) / 1000 / n;
}

/** A store whose every repository method answers null at once (only the wrapper's own cost is left). */
function stubStore(real: Store): Store {
  const stub: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(real)) {
    stub[name] =
      value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).map((m) => [m, async () => null])) : value;
  }
  stub.transaction = (fn: (tx: unknown) => Promise<unknown>) => fn(stub);
  return stub as unknown as Store;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-calls-bench-'));
  const real = await openStore({ databaseUrl: null, dataDir: dir });
  await real.settings.put('bench', 'value', Date.now());
  const stub = stubStore(real);
  const config = loadConfig({ env: {}, overrides: { dataDir: dir, demo: false, tracing: { enabled: true } } });
  const tracing = new Tracing(config.tracing, [], new InMemorySpanExporter());
  const span = tracing.startRequest({ method: 'GET', path: '/bench', req: { headers: {}, socket: { remoteAddress: '127.0.0.1' } }, state: {}, request: { ip: '127.0.0.1' } } as never);

  const metricsOnly = observedStore(stub, storeCallObserver(new Metrics(), null, 'sqlite'));
  const traced = observedStore(stub, storeCallObserver(new Metrics(), tracing, 'sqlite'));
  const realObserved = observedStore(real, storeCallObserver(new Metrics(), null, 'sqlite'));

  const cases: Array<[string, Call, number]> = [
    ['stub read, plain', () => stub.settings.get('bench'), 200_000],
    ['stub read, observed (metrics; tracing off)', () => metricsOnly.settings.get('bench'), 200_000],
    ['stub read, observed, tracing on, outside a request', () => traced.settings.get('bench'), 200_000],
    ['stub read, observed, tracing on, in a request (span made)', () => tracing.within(span, () => traced.settings.get('bench')), 50_000],
    ['stub transaction (wraps 20 repositories), plain', () => stub.transaction(async () => null), 50_000],
    ['stub transaction, observed', () => metricsOnly.transaction(async () => null), 50_000],
    ['SQLite settings.get, plain', () => real.settings.get('bench'), 5_000],
    ['SQLite settings.get, observed', () => realObserved.settings.get('bench'), 5_000],
  ];
  const best = new Map<string, number>();
  for (const [name, call, n] of cases) await perCallMicros(call, Math.min(n, 5000)); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call, n] of cases) {
      const us = await perCallMicros(call, n);
      best.set(name, Math.min(best.get(name) ?? Infinity, us));
    }
  }
  const width = Math.max(...cases.map(([name]) => name.length));
  for (const [name] of cases) process.stdout.write(`${name.padEnd(width)}  ${best.get(name)!.toFixed(3)} µs/call\n`);
  const overhead = best.get('stub read, observed (metrics; tracing off)')! - best.get('stub read, plain')!;
  process.stdout.write(`\nobserving one call (metrics, tracing off): ${overhead.toFixed(3)} µs\n`);
  process.stdout.write(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), best of ${ROUNDS} interleaved rounds\n`);
  span.end();
  await tracing.close();
  await real.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
