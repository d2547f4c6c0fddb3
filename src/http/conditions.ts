import { LockedOutError } from '../accounts/lockout';
import { DirectoryBusyError, DirectoryUnavailableError } from '../accounts/ldap/errors';
import { CacheUnavailableError } from '../cache/types';
import { HashingBusyError } from '../crypto/hashing';
import { SealedSecretError } from '../crypto/sealed';
import { isDatabaseUnavailable } from '../storage/unavailable';
import { IssuerUnavailableError } from '../issuers/errors';
import type { Dependency } from './outages';
import { ProtocolError, retryAfter } from './protocol-error';

/**
 * The conditions any endpoint may meet, mapped to protocol data here and nowhere else; each format's
 * renderer then words them in its protocol (an OAuth 1.0a problem report, RFC 6749 JSON, Problem
 * Details, a page). Domain code throws its own signals (CacheUnavailableError, LockedOutError, ...)
 * and never restates them per endpoint.
 */

// The shared cache is down: fail closed, never a pass. Five seconds is about a Redis failover.
const cacheUnavailable = () =>
  new ProtocolError('temporarily_unavailable', 'The gateway cannot reach its shared state; try again shortly.', { status: 503, headers: retryAfter(5) });

// The database refused, dropped or did not answer within its time limits (config `database.*TimeoutSeconds`):
// an outage, not a failure of the request, so the client is told to come back rather than given a 500.
const databaseUnavailable = () =>
  new ProtocolError('temporarily_unavailable', 'The gateway cannot reach its database; try again shortly.', { status: 503, headers: retryAfter(5) });

const hashingBusy = (err: HashingBusyError) =>
  new ProtocolError('temporarily_unavailable', 'The gateway is busy checking credentials; try again shortly.', {
    status: 503,
    headers: retryAfter(err.retryAfterSeconds),
  });

// Checked at start, so the key changed under a running node (secrets were rotated while it ran).
const sealedSecret = () => new ProtocolError('temporarily_unavailable', 'The gateway cannot serve this request right now; try again shortly.', { status: 503 });

// An external authorization server (config `issuers`) did not answer for a token not in the cache:
// fail closed, never a pass; tokens verified before keep working from the cache.
const issuerUnavailable = () =>
  new ProtocolError('temporarily_unavailable', 'The authorization server that issued the token cannot be reached; try again shortly.', { status: 503, headers: retryAfter(5) });
// The LDAP directory did not answer or refused the service account (accounts/ldap/errors.ts): the
// password could not be checked, which is not a wrong password.
const directoryUnavailable = () =>
  new ProtocolError('temporarily_unavailable', 'The gateway cannot reach its user directory; try again shortly.', { status: 503, headers: retryAfter(5) });

// Every LDAP check slot and queue place is taken (config ldap.maxConcurrent, ldap.maxQueued).
const directoryBusy = () =>
  new ProtocolError('temporarily_unavailable', 'The gateway is busy checking credentials; try again shortly.', { status: 503, headers: retryAfter(1) });

/** Too many failed passwords for the username or the address: every channel answers 429 (renderers word it). */
const lockedOut = (err: LockedOutError) =>
  new ProtocolError('too_many_attempts', 'Too many failed attempts; try again later.', { status: 429, headers: retryAfter(err.retryAfterSeconds) });

/** Koa/http-errors style errors (a status and `expose`): 4xx only, with a fixed message of ours. */
function foreignClientError(err: unknown): ProtocolError | null {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if (status < 400 || status >= 500) return null;
  const known: Record<number, [string, string]> = {
    400: ['invalid_request', 'The request could not be parsed.'],
    405: ['method_not_allowed', 'Method not allowed.'],
    411: ['invalid_request', 'A Content-Length is required.'],
    413: ['request_too_large', 'The request body is larger than this gateway accepts.'],
    415: ['unsupported_media_type', 'The request body has an unsupported content type.'],
  };
  const [code, description] = known[status] ?? ['invalid_request', 'The request was refused.'];
  return new ProtocolError(code, description, { status });
}

/** The refusal an error stands for, or null when it is a failure of ours (a bug: 500). */
export function protocolErrorOf(err: unknown): ProtocolError | null {
  if (err instanceof ProtocolError) return err;
  if (err instanceof CacheUnavailableError) return cacheUnavailable();
  if (isDatabaseUnavailable(err)) return databaseUnavailable();
  if (err instanceof HashingBusyError) return hashingBusy(err);
  if (err instanceof SealedSecretError) return sealedSecret();
  if (err instanceof LockedOutError) return lockedOut(err);
  if (err instanceof IssuerUnavailableError) return issuerUnavailable();
  if (err instanceof DirectoryUnavailableError) return directoryUnavailable();
  if (err instanceof DirectoryBusyError) return directoryBusy();
  return foreignClientError(err);
}

/**
 * The shared dependency whose outage the error is, or null. Outages are logged once per outage
 * with a count (outages.ts), not once per refused request.
 */
export function outageOf(err: unknown): Dependency | null {
  if (err instanceof CacheUnavailableError) return 'cache';
  if (isDatabaseUnavailable(err)) return 'database';
  return null;
}

/** What an operator must hear about beyond the access line (logged at error level), or null. */
export function alarmOf(err: unknown): string | null {
  if (err instanceof SealedSecretError) return "a stored secret does not open with this node's secret key: restart it with the key the data is sealed with";
  return null;
}

/** The access log's word for how a refused request ended. */
export function outcomeOf(error: ProtocolError): 'rejected' | 'unavailable' | 'error' {
  if (error.status === 503) return 'unavailable';
  return error.status >= 500 ? 'error' : 'rejected';
}

/** A failure of ours, as data: a fixed sentence and the request id to quote, never the cause. */
export function internalError(requestId: string | undefined): ProtocolError {
  return new ProtocolError('server_error', 'Internal error.', { status: 500, parameters: requestId ? { request_id: requestId } : {} });
}
