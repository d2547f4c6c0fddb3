/**
 * The directory did not answer (refused, reset, timed out, TLS failed) or refused the service
 * account: the password could not be checked. It is an outage, answered 503 temporarily_unavailable
 * in each endpoint's format (http/conditions.ts), never "wrong password": a user must not be told
 * a right password is wrong, nor be counted a failed guess for it (accounts/lockout.ts gives the
 * attempt back).
 */
export class DirectoryUnavailableError extends Error {
  /** The class and message of what failed, for the one outage log line; never a password. */
  readonly causeType: string;
  readonly causeMessage: string;

  constructor(cause: unknown) {
    super('the LDAP directory is unavailable');
    this.name = 'DirectoryUnavailableError';
    this.causeType = (cause as Error)?.name ?? typeof cause;
    this.causeMessage = typeof (cause as Error)?.message === 'string' ? (cause as Error).message.slice(0, 200) : '';
  }
}

/**
 * Every directory check slot and queue place is taken (config `ldap.maxConcurrent`, `ldap.maxQueued`):
 * 503 with a short Retry-After rather than opening ever more connections to the directory.
 */
export class DirectoryBusyError extends Error {
  constructor() {
    super('too many LDAP checks at once');
    this.name = 'DirectoryBusyError';
  }
}
