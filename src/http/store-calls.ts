import type { Span } from '@opentelemetry/api';
import type { OperationProbe, StoreCallObserver } from '../storage/observed-store';
import type { Tracing } from '../tracing';
import type { Metrics } from './metrics';

type HistogramChild = ReturnType<Metrics['databaseCalls']['labels']>;
type CounterChild = ReturnType<Metrics['databaseCallErrors']['labels']>;

/**
 * What the runtime does around each store call: its duration in
 * gateway_database_call_duration_seconds{repository,operation,outcome}, a failure also in
 * gateway_database_call_errors_total, and with tracing on a client span under the request's.
 * The histogram children are made on a call's first use, not up front: an operation never called
 * adds no series to /metrics (there are about a hundred).
 */
export function storeCallObserver(metrics: Metrics, tracing: Tracing | null, system: 'sqlite' | 'postgres'): StoreCallObserver {
  const dbSystem = system === 'postgres' ? 'postgresql' : 'sqlite';
  return (repository, operation): OperationProbe => {
    let ok: HistogramChild | undefined;
    let failed: HistogramChild | undefined;
    let errors: CounterChild | undefined;
    const spanName = `db ${repository}.${operation}`;
    return {
      begin: tracing ? () => tracing.startCall(spanName, dbSystem, `${repository}.${operation}`) : () => undefined,
      end(begun, seconds, succeeded) {
        if (succeeded) {
          (ok ??= metrics.databaseCalls.labels(repository, operation, 'ok')).observe(seconds);
        } else {
          (failed ??= metrics.databaseCalls.labels(repository, operation, 'error')).observe(seconds);
          (errors ??= metrics.databaseCallErrors.labels(repository, operation)).inc();
        }
        if (begun) tracing!.endCall(begun as Span, succeeded);
      },
    };
  };
}
