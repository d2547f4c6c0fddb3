import cluster from 'node:cluster';
import { deepFreeze, type GatewayConfig } from '../config';
import { createLogger } from '../http/logger';
import { startGateway } from '../runtime';
import { isPrimaryMessage, type WorkerMessage } from './messages';
import { EXIT_DRAIN_CUT } from '../serve-exit';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** The configuration the primary validated (and, for the demo, derived). */
function configFromPrimary(): Promise<GatewayConfig> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (!isPrimaryMessage(message)) return;
      process.off('message', onMessage);
      resolve(deepFreeze(message.config));
    };
    process.on('message', onMessage);
    send({ type: 'config?' });
  });
}

/**
 * One worker of `serve --workers N`: runs the gateway on the port the primary shares, and drains on
 * SIGTERM/SIGINT. (A worker whose primary dies exits at once: node:cluster does that.) Returns the exit code: 0 drained, EXIT_DRAIN_CUT when
 * the deadline cut requests, 1 when it could not start (the primary counts that as a start failure).
 */
export async function runWorker(): Promise<number> {
  // Ctrl-C reaches the worker and the primary forwards SIGTERM too: a second signal must not kill the
  // drain that the first one began, so the listeners stay.
  const stop = new Promise<string>((resolve) => {
    process.on('SIGTERM', () => resolve('SIGTERM'));
    process.on('SIGINT', () => resolve('SIGINT'));
  });
  const config = await Promise.race([configFromPrimary(), stop.then(() => null)]);
  if (config === null) return 0;
  const logger = createLogger(config.log.level, undefined, config.log.format).child({ worker: cluster.worker?.id, pid: process.pid });
  // The process exits right after this returns: a buffered log destination must be written out first.
  const flushed = (code: number) => new Promise<number>((resolve) => logger.flush(() => resolve(code)));
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    gateway = await startGateway(config, { logger, defaultMetrics: true });
    // The OpenID provider's keys exist from the first start on (made once, shared through the database).
    await gateway.runtime.deps.signingKeys.ensure();
  } catch (err) {
    process.stderr.write(`oauth-gateway: worker ${process.pid}: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
  send({ type: 'ready', url: gateway.url, adminUrl: gateway.adminUrl });
  const reason = await stop;
  logger.info({ reason }, 'draining: finishing in-flight requests');
  const { cut } = await gateway.shutdown();
  if (cut > 0) {
    logger.warn({ cut }, 'the drain deadline passed: requests still in flight were cut');
    return flushed(EXIT_DRAIN_CUT);
  }
  logger.info('stopped');
  return flushed(0);
}
