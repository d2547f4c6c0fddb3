import { Writable } from 'node:stream';
import pino from 'pino';
import type { GatewayDeps } from '../../src/deps';
import { logExchange, type ExchangeFacts } from '../../src/gateway/access-log';
import type { Route } from '../../src/gateway/routes';
import type { Context } from '../../src/http/context';
import { accessLogger, createLogger, writeInfoLine } from '../../src/http/logger';
import type { Identity } from '../../src/identity';

// A standard proxied access line is serialised by the gateway itself (access-log.ts), not by pino:
// it must be the very line pino writes for the same fields (same names, order, escaping), only
// cheaper. Every other line (extended, warnings, failures) still goes through pino.

function sink() {
  const lines: string[] = [];
  return { lines, stream: new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }) };
}

const withoutTime = (line: string) => line.replace(/,"time":"[^"]*"/, '');

function context(url: string, requestId = 'req-12345678'): Context {
  return {
    state: { requestId },
    method: 'GET',
    originalUrl: url,
    path: url.split('?')[0],
    querystring: url.split('?')[1] ?? '',
    req: { socket: { remoteAddress: '::ffff:10.0.0.7' }, headers: {} },
    get: () => '',
  } as unknown as Context;
}

const deps = (api: 'standard' | 'extended') => ({ config: { log: { api }, server: { trustedProxies: [] } } }) as unknown as GatewayDeps;
const route = { name: '/api' } as Route;

const oauth2: Identity = { protocol: 'oauth2', username: 'ann "the" admin\u2028é 😀', userId: 'u1', clientId: 'client-1', scopes: ['read'], privileges: [], issuer: null } as unknown as Identity;
const oauth1: Identity = { protocol: 'oauth1', username: null, userId: null, clientId: 'consumer\\key', scopes: [], privileges: [] } as unknown as Identity;

const cases: Array<[string, Partial<ExchangeFacts>, string]> = [
  ['a public request', { identity: null }, '/public/posts'],
  ['a bearer request with a user', { identity: oauth2 }, '/api/posts?access_token=abc&scope=x%20y&q="quoted"'],
  ['an OAuth 1.0a request, no body length', { identity: oauth1, bytes: null, upstreamMs: null }, '/api/posts?oauth_signature=s&oauth_consumer_key=k'],
  ['a long URL with unicode and controls', { identity: null, totalMs: 0.04 }, '/api/' + 'é\u0001\t'.repeat(30)],
];

test.each(cases)('%s: the lean line is the line pino writes for the same fields', (_name, facts, url) => {
  const out = sink();
  const log = accessLogger(createLogger('info', out.stream));
  const ctx = context(url);
  const full: ExchangeFacts = { route, outcome: 'proxied', status: 200, upstreamMs: 3.14159, bytes: 1234, failure: null, totalMs: 7.25, identity: null, ...facts };
  logExchange(deps('standard'), log, ctx, full);
  expect(ctx.state.accessLogged).toBe(true);

  // What logExchange wrote before it had a writer of its own: the object, through pino.
  const expected: Record<string, unknown> = {
    reqId: 'req-12345678',
    method: 'GET',
    url: expect.any(String),
    ms: Math.round(full.totalMs * 10) / 10,
    route: '/api',
    status: 200,
    outcome: 'proxied',
    upstreamMs: full.upstreamMs === null ? null : Math.round(full.upstreamMs * 10) / 10,
    bytes: full.bytes,
    clientAddress: '10.0.0.7',
  };
  const lean = JSON.parse(out.lines[0]);
  expected.url = lean.url;
  if (full.identity?.username) expected.user = full.identity.username;
  if (full.identity) expected[full.identity.protocol === 'oauth1' ? 'consumerKey' : 'clientId'] = full.identity.clientId;
  log.info(expected, 'proxied');
  expect(out.lines).toHaveLength(2);
  expect(withoutTime(out.lines[0])).toBe(withoutTime(out.lines[1]));
  // Query values stay redacted as before (only the listed parameters keep theirs).
  expect(out.lines[0]).not.toContain('abc');
  expect(out.lines[0]).not.toContain('oauth_signature=s');
});

// The durations are rounded to tenths and written by the gateway's own serialiser: each must read as
// pino writes Math.round(ms * 10) / 10, at every magnitude, at the rounding's edges and for non-numbers.
const durations = [0, 0.04, 0.05, 0.94, 0.95, 1, 9.96, 10, 99.95, 123.45, 1999.99, 65_000.04, 1e-9, 2 ** 52 / 10 + 0.3, 1e300, Number.NaN, Number.POSITIVE_INFINITY, -0.01, -12.34];
test.each(durations)('a duration of %p ms is written as pino writes it', (ms) => {
  const out = sink();
  const log = accessLogger(createLogger('info', out.stream));
  const full: ExchangeFacts = { route, outcome: 'proxied', status: 200, upstreamMs: ms, bytes: 1, failure: null, totalMs: ms, identity: null };
  logExchange(deps('standard'), log, context('/api/x'), full);
  const rounded = Math.round(ms * 10) / 10;
  log.info({ reqId: 'req-12345678', method: 'GET', url: '/api/x', ms: rounded, route: '/api', status: 200, outcome: 'proxied', upstreamMs: rounded, bytes: 1, clientAddress: '10.0.0.7' }, 'proxied');
  expect(withoutTime(out.lines[0])).toBe(withoutTime(out.lines[1]));
});

test('failures, 5xx answers and the extended level still go through pino (warn, request detail)', () => {
  const out = sink();
  const log = accessLogger(createLogger('info', out.stream));
  logExchange(deps('standard'), log, context('/api/x'), { route, outcome: 'upstream_error', status: 200, upstreamMs: 1, bytes: null, failure: 'reset', totalMs: 2, identity: null } as ExchangeFacts);
  logExchange(deps('standard'), log, context('/api/x'), { route, outcome: 'proxied', status: 503, upstreamMs: 1, bytes: 0, failure: null, totalMs: 2, identity: null });
  logExchange(deps('extended'), log, context('/api/x?a=1'), { route, outcome: 'proxied', status: 200, upstreamMs: 1, bytes: 5, failure: null, totalMs: 2, identity: null });
  const lines = out.lines.map((l) => JSON.parse(l));
  expect(lines.map((l) => l.level)).toEqual(['warn', 'warn', 'info']);
  expect(lines[0].failure).toBe('reset');
  expect(lines[2].request).toEqual({ method: 'GET', path: '/api/x', query: ['a'], headers: {} });
});

test('a line below the logger level is not written, and a logger not made by createLogger is left to pino', () => {
  const out = sink();
  const quiet = accessLogger(createLogger('warn', out.stream));
  expect(writeInfoLine(quiet, ',"a":1', '"m"')).toBe(true);
  expect(out.lines).toHaveLength(0);
  expect(writeInfoLine(pino(out.stream), ',"a":1', '"m"')).toBe(false);
});

test('a lone surrogate is escaped (pino would write it as U+FFFD): the line stays valid JSON and keeps it', () => {
  const out = sink();
  const log = accessLogger(createLogger('info', out.stream));
  const identity = { ...oauth2, username: 'x\ud800y' } as Identity;
  logExchange(deps('standard'), log, context('/api/x'), { route, outcome: 'proxied', status: 200, upstreamMs: 1, bytes: 1, failure: null, totalMs: 1, identity });
  expect(out.lines[0]).toContain('"user":"x\\ud800y"');
  expect(JSON.parse(out.lines[0]).user).toBe('x\ud800y');
});
