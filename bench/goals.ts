import { ratioOf, type Row } from './rows';
import type { TargetName } from './settings';

// The targets of issue 13, checked against one run's rows.

export interface Goal {
  name: string;
  value: number | null;
  /** As written in the issue, e.g. ">= 0.80". */
  target: string;
  /** null when the run has no figure for it (a target not run, or unavailable). */
  met: boolean | null;
}

/** The lowest ratio to the lean baseline each gateway row should reach (for the chart's markers). */
export const RATIO_TARGETS: Partial<Record<TargetName, number>> = {
  public: 0.85,
  bearer: 0.8,
  oauth1: 0.65,
  'token-sqlite': 0.3,
  'token-postgres': 0.3,
  // Issue 15: a verified JWT is answered from the cache by digest.
  jwt: 0.75,
};
/** The introspection route with a warm cache against the local bearer route (issue 15: "like" it). */
export const INTROSPECTION_VS_BEARER = 0.9;
/** 2 workers against 1 on the bearer route. */
export const WORKERS_SPEEDUP = 1.3;
export const P99_FACTOR = 2;
export const RSS_LIMIT_MB = 200;

const GATEWAY_ROWS: TargetName[] = ['public', 'bearer', 'oauth1', 'token-sqlite', 'token-postgres', 'bearer-2-workers', 'jwt', 'introspection'];

const atLeast = (name: string, value: number | null, minimum: number): Goal => ({ name, value, target: `>= ${minimum.toFixed(2)}`, met: value === null ? null : value >= minimum });
const atMost = (name: string, value: number | null, maximum: number): Goal => ({ name, value, target: `<= ${maximum}`, met: value === null ? null : value <= maximum });

export function goals(rows: Row[]): Goal[] {
  const row = (name: TargetName) => rows.find((r) => r.name === name && !r.unavailable);
  const ratio = (name: TargetName) => row(name)?.ratio ?? null;
  const oauth1 = rows.find((r) => r.name === 'oauth1')?.label ?? 'OAuth 1.0a route';
  const peaks = GATEWAY_ROWS.map((n) => row(n)?.peakRssMB).filter((v): v is number => typeof v === 'number');
  const peak = peaks.length ? Math.max(...peaks) : null;
  return [
    atLeast('public route / lean baseline', ratio('public'), RATIO_TARGETS.public as number),
    atLeast('bearer route / lean baseline', ratio('bearer'), RATIO_TARGETS.bearer as number),
    atLeast(`${oauth1} / lean baseline`, ratio('oauth1'), RATIO_TARGETS.oauth1 as number),
    atLeast('token endpoint, SQLite / lean baseline', ratio('token-sqlite'), RATIO_TARGETS['token-sqlite'] as number),
    atLeast('token endpoint, PostgreSQL / lean baseline', ratio('token-postgres'), RATIO_TARGETS['token-postgres'] as number),
    atLeast('bearer route, 2 workers / 1 worker', ratioOf(row('bearer-2-workers')?.requestsPerSecond, row('bearer')?.requestsPerSecond), WORKERS_SPEEDUP),
    atLeast('JWT route (external issuer) / lean baseline', ratio('jwt'), RATIO_TARGETS.jwt as number),
    atLeast('introspection route (warm) / bearer route', ratioOf(row('introspection')?.requestsPerSecond, row('bearer')?.requestsPerSecond), INTROSPECTION_VS_BEARER),
    atMost('bearer route p99 / lean baseline p99', ratioOf(row('bearer')?.p99Ms, row('baseline')?.p99Ms), P99_FACTOR),
    { name: 'gateway peak RSS under load, per worker (MB)', value: peak, target: `< ${RSS_LIMIT_MB}`, met: peak === null ? null : peak < RSS_LIMIT_MB },
  ];
}
