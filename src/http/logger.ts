import pino, { type Logger } from 'pino';
import { splitPair } from './form';

// Anything that may hold a credential is removed from log lines, wherever it sits.
const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.secret',
  '*.client_secret',
  '*.consumerSecret',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.code',
  '*.oauth_signature',
  '*.oauth_token',
  '*.oauth_token_secret',
  '*.oauth_verifier',
  '*.oauth_session_handle',
  '*.x_auth_password',
  '*.device_code',
  'password',
  'secret',
  'token',
];

export type { Logger };

/**
 * The gateway's logger: JSON lines on `destination`, by default standard output written
 * asynchronously. A synchronous write per line was a system call per proxied request (its access
 * line); asynchronously, lines that come while a write is under way go out together in the next one,
 * and nothing waits when the gateway is quiet. pino flushes what is left when the process exits.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'oauth-gateway' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    (destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * The logger for lines built only from values that are safe by construction (parameter names,
 * redactQuery, sanitized headers, ids): the access line of every request and the audit lines of the
 * token endpoints. It swaps the app-wide wildcard redaction, which costs tens of microseconds per
 * line, for exact paths kept as a second guard. Making one compiles its redaction: the runtime
 * makes one per gateway (GatewayDeps.accessLog).
 */
export function accessLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: ['request.headers.authorization', 'request.headers.cookie', 'request.headers["proxy-authorization"]'], censor: '[redacted]' } });
}

/** Query strings can carry credentials (OAuth1 in the query, legacy token requests): keep only names. */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => splitPair(pair)[0] + '=[redacted]');
  return url.slice(0, q) + '?' + names.join('&');
}
