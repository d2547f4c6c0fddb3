import type { Clock } from '../clock';
import type { Logger } from '../http/logger';
import { IssuerUnavailableError } from './errors';
import type { IssuerCall, IssuerMetrics } from './metrics';

export interface IssuerHttp {
  issuer: string;
  timeoutMs: number;
  metrics: IssuerMetrics;
  logger: Logger;
  clock: Clock;
  /** Per call: when a failure was last logged, and how many were not logged since (one line per outage spell, not per request). */
  failureLog: Map<IssuerCall, { loggedAt: number; unlogged: number }>;
}

// While an issuer keeps failing, one warn line per call kind this often, with the count in between.
const FAILURE_LOG_INTERVAL_MS = 10_000;

function logFailure(http: IssuerHttp, call: IssuerCall, url: string, failure: string): void {
  const now = http.clock();
  const last = http.failureLog.get(call);
  if (last && now - last.loggedAt < FAILURE_LOG_INTERVAL_MS) {
    last.unlogged += 1;
    return;
  }
  const endpoint = new URL(url);
  http.logger.warn(
    { issuer: http.issuer, call, url: endpoint.origin + endpoint.pathname, failure, failedSinceLastLine: last?.unlogged ?? 0 },
    'an external authorization server did not answer as expected',
  );
  http.failureLog.set(call, { loggedAt: now, unlogged: 0 });
}

/**
 * One call to an authorization server, answered with its JSON object or IssuerUnavailableError:
 * refused, timed out, a status other than 200, or a body that is not a JSON object. Counted and
 * timed; the log line (at most one per call kind every ten seconds) names the issuer, the call and
 * the failure, never the request body (a token, the gateway's client secret).
 */
export async function fetchJson(http: IssuerHttp, call: IssuerCall, url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const started = performance.now();
  const done = (outcome: 'ok' | 'failed') => {
    http.metrics.calls.inc({ issuer: http.issuer, call, outcome });
    http.metrics.latency.observe({ issuer: http.issuer, call }, (performance.now() - started) / 1000);
  };
  let failure: string;
  try {
    const res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(http.timeoutMs), headers: { accept: 'application/json', ...(init.headers as Record<string, string>) } });
    const text = await res.text();
    if (res.status === 200) {
      const body: unknown = JSON.parse(text);
      if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
        done('ok');
        return body as Record<string, unknown>;
      }
      failure = 'the answer is not a JSON object';
    } else {
      failure = `status ${res.status}`;
    }
  } catch (err) {
    failure = (err as Error)?.name === 'TimeoutError' ? 'timed out' : err instanceof SyntaxError ? 'the answer is not JSON' : `${(err as Error)?.name ?? 'error'}: ${(err as Error)?.message ?? ''}`;
  }
  done('failed');
  logFailure(http, call, url, failure);
  throw new IssuerUnavailableError(http.issuer, call);
}
