import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { BatchedLines } from './batched-lines';
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
  // The LDAP service account's password (config ldap.bindPassword), should a config object ever be logged.
  '*.bindPassword',
  'password',
  'secret',
  'token',
];

export type { Logger };

/** config log.format: JSON lines (default) or pino-pretty's for humans. */
export type LogFormat = 'json' | 'pretty';

/**
 * Standard output's buffer (BatchedLines): lines are written once this many bytes are waiting (about
 * forty access lines), in one synchronous write, and whatever waits is written within
 * `flushIntervalMs`. Writing each line as it came was a system call for every proxied request (a
 * twentieth of its CPU time under load); writing 4 KB batches asynchronously still cost a thread-pool
 * hand-off each (4% of the CPU of a proxied request).
 */
const bufferedBytes = 12 * 1024;
const flushIntervalMs = 200;

/**
 * pino's isoTime, made once per millisecond: under load several lines share one, and formatting a
 * Date was a visible part of every access line. The same text as pino.stdTimeFunctions.isoTime.
 */
function isoTimeOncePerMillisecond(): () => string {
  let last = -1;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== last) {
      last = now;
      text = `,"time":"${new Date(now).toISOString()}"`;
    }
    return text;
  };
}

/**
 * The gateway's logger: JSON lines (or, with format "pretty", pino-pretty's lines) on `destination`, by default standard output,
 * buffered (BatchedLines): a line waits until 12 KB of them are ready or 200 ms have passed,
 * whichever comes first, so a quiet gateway's lines still show at once to a reader and a busy one
 * writes many lines per system call; warnings and errors are written at once, with what waits before
 * them. What is left is written when the process exits (not on SIGKILL: up to 200 ms of lines are
 * then lost).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, format: LogFormat = 'json'): Logger {
  // pretty: pino-pretty turns each JSON line into a readable one, in process (no worker thread), for a person at a terminal.
  if (format === 'pretty' && !destination) destination = pinoPretty({ destination: 1, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'service' });
  const stdout = destination ? null : new BatchedLines(1, bufferedBytes, flushIntervalMs);
  const time = isoTimeOncePerMillisecond();
  const logger = pino(
    {
      level,
      base: { service: 'oauth-gateway' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: time,
      formatters: { level: (label) => ({ level: label }) },
      // A warning or an error is written at once, with what waits before it: it may be the last line
      // of a process about to hang or die, and it is rare enough to cost nothing.
      ...(stdout ? { hooks: { logMethod: flushingFrom(pino.levels.values.warn, stdout) } } : {}),
    },
    (destination as pino.DestinationStream | undefined) ?? stdout!,
  );
  // Children inherit it (pino makes a child with its parent as prototype): see writeInfoLine.
  (logger as unknown as Record<symbol, unknown>)[lineTime] = time;
  return logger;
}

/** The time function of a logger made by createLogger, for lines written without pino's serialiser. */
const lineTime = Symbol('oauth-gateway.lineTime');

/**
 * Writes an info line whose fields the caller already serialised (`fields`: `,"name":value...`, each
 * value JSON, names camelCase) and its message (a JSON string), byte for byte what `log.info(object,
 * msg)` writes for the same fields: level, time and the logger's bindings first, `msg` last, on the
 * logger's own destination (so buffered the same way). pino's serialiser and its redaction are
 * skipped: the caller writes only values that are safe by construction (access lines of proxied
 * requests). False when the logger was not made by createLogger (a test's pino): use log.info then.
 */
export function writeInfoLine(log: Logger, fields: string, msg: string): boolean {
  const time = (log as unknown as Record<symbol, (() => string) | undefined>)[lineTime];
  if (time === undefined) return false;
  if (!log.isLevelEnabled('info')) return true;
  const own = log as unknown as Record<symbol, unknown>;
  const stream = own[pino.symbols.streamSym] as { write(line: string): unknown };
  stream.write('{"level":"info"' + time() + (own[pino.symbols.chindingsSym] as string) + fields + ',"msg":' + msg + '}\n');
  return true;
}

/** pino's logMethod hook: logs, then starts writing the buffer when the line is at `threshold` or above. */
function flushingFrom(threshold: number, stream: { flush(): void }) {
  return function logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...args: unknown[]) => void, level: number): void {
    method.apply(this, args);
    if (level >= threshold) stream.flush();
  };
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

/**
 * Protocol parameters whose values are no secrets (ids, codes of a request's shape, the client's own
 * state): logged as sent, so an operator can tell which client asked for what. Every other value is
 * redacted, since a query can carry credentials (OAuth 1.0a in the query, legacy token requests,
 * whatever an upstream API takes).
 */
const shownParameters = new Set([
  'client_id',
  'state',
  'scope',
  'response_type',
  'response_mode',
  'grant_type',
  'redirect_uri',
  'prompt',
  'code_challenge_method',
  'error',
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_version',
  'x_auth_mode',
]);

/** The URL with every query value redacted except those of shownParameters. */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [name, value] = splitPair(pair);
      return shownParameters.has(name) ? `${name}=${value}` : name + '=[redacted]';
    });
  return url.slice(0, q) + '?' + pairs.join('&');
}
