import type { SignInEvents } from '../accounts/lockout';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

/**
 * Sign-in failures and lock-outs as an operator reads them: counted (gateway_login_failures_total,
 * gateway_lockouts_total) and one warn line each naming the username and the client's address, so a
 * spray or a stuck user can be found in the log. The password is never passed here.
 */
export function signInEvents(metrics: Metrics, logger: Logger): SignInEvents {
  return {
    failed(username, address) {
      metrics.loginFailures.inc();
      logger.warn({ event: 'signInFailed', username, clientAddress: address }, 'sign-in failed');
    },
    lockedOut(username, address) {
      metrics.lockouts.inc();
      logger.warn({ event: 'signInLockedOut', username, clientAddress: address }, 'sign-in refused: locked out');
    },
  };
}
