// What `npm run bench` runs and how, from the environment (README "Benchmarks" lists them).

/** Every target, in table order. */
export const TARGET_NAMES = [
  'upstream',
  'baseline',
  'koa',
  'public',
  'bearer',
  'oauth1',
  'token-sqlite',
  'token-postgres',
  'bearer-2-workers',
  'jwt',
  'introspection',
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface Settings {
  /** wrk's -d, per target and round, in seconds. */
  durationSeconds: number;
  rounds: number;
  /** One unmeasured run per target before the rounds (JIT, pools, caches), in seconds; 0 for none. */
  warmupSeconds: number;
  /** A pause before each timed run, in seconds, for what the previous run left behind; 0 for none. */
  settleSeconds: number;
  /** wrk's -c and -t. */
  connections: number;
  threads: number;
  targets: TargetName[];
  redisUrl: string;
  /** PostgreSQL the token-postgres target uses; the bench creates a private database there and drops it. */
  postgresUrl: string;
  logLevel: string;
  /** Node flags for the gateway processes only (the baseline, the Koa floor and the upstream run with node's defaults). */
  gatewayFlags: string[];
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be an integer >= ${minimum} (got "${raw}")`);
  return value;
}

/** Reads the settings; a bad value throws one line naming the variable. */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const targets = (env.BENCH_TARGETS || TARGET_NAMES.join(',')).split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = targets.filter((name) => !(TARGET_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_TARGETS: unknown ${unknown.join(', ')} (known: ${TARGET_NAMES.join(', ')})`);
  const threads = positiveInteger(env, 'BENCH_THREADS', 1);
  const connections = positiveInteger(env, 'BENCH_CONNECTIONS', 32);
  if (connections < threads) throw new Error('BENCH_CONNECTIONS must be at least BENCH_THREADS (wrk gives every thread its own connections)');
  return {
    durationSeconds: positiveInteger(env, 'BENCH_DURATION', 8),
    rounds: positiveInteger(env, 'BENCH_ROUNDS', 3),
    warmupSeconds: positiveInteger(env, 'BENCH_WARMUP', 2, 0),
    settleSeconds: positiveInteger(env, 'BENCH_SETTLE', 1, 0),
    connections,
    threads,
    // Table order, whatever order the variable lists them in.
    targets: TARGET_NAMES.filter((name) => targets.includes(name)),
    redisUrl: env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
    postgresUrl: env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test',
    logLevel: env.BENCH_LOG_LEVEL || 'info',
    // The README's recommendation for a capped heap ("Heap limit and garbage collection"): the cap
    // holds the RSS target, and the fixed growth factor keeps V8 out of its smallest-heap GC spiral.
    gatewayFlags: (env.BENCH_GATEWAY_FLAGS ?? '--max-old-space-size=160 --heap-growing-percent=100').split(' ').filter(Boolean),
  };
}
