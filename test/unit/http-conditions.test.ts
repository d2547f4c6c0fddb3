import { LockedOutError } from '../../src/accounts/lockout';
import { DirectoryUnavailableError } from '../../src/accounts/ldap/errors';
import { CacheUnavailableError } from '../../src/cache/types';
import { HashingBusyError } from '../../src/crypto/hashing';
import { SealedSecretError } from '../../src/crypto/sealed';
import { alarmOf, internalError, outageOf, outcomeOf, protocolErrorOf } from '../../src/http/conditions';
import { MalformedEncodingError, parseForm } from '../../src/http/form';
import { ProtocolError, retryAfter } from '../../src/http/protocol-error';
import { percentDecode } from '../../src/oauth1/encoding';

// The conditions every endpoint may meet, mapped once to protocol data (the renderers word them).

const data = (err: unknown) => {
  const mapped = protocolErrorOf(err);
  return mapped && { code: mapped.code, status: mapped.status, headers: mapped.headers };
};

test('an LDAP directory outage is 503 temporarily_unavailable with Retry-After, worded without its cause', () => {
  const err = new DirectoryUnavailableError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:389'), { code: 'ECONNREFUSED' }));
  expect(data(err)).toEqual({ code: 'temporarily_unavailable', status: 503, headers: { 'Retry-After': '5' } });
  expect(protocolErrorOf(err)?.description).not.toMatch(/10\.0\.0\.5|ECONNREFUSED/);
  // Logged once per outage by the directory itself (accounts/ldap/directory.ts), not as a database or cache outage.
  expect(outageOf(err)).toBeNull();
});

test('a shared cache outage is 503 temporarily_unavailable with Retry-After, an outage (logged once), no per-request alarm', () => {
  const err = new CacheUnavailableError(new Error('ECONNREFUSED'));
  expect(data(err)).toEqual({ code: 'temporarily_unavailable', status: 503, headers: { 'Retry-After': '5' } });
  expect(outageOf(err)).toBe('cache');
  expect(alarmOf(err)).toBeNull();
});

// What node-postgres, TypeORM and sqlite3 really throw when the database is away or too slow.
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const databaseOutages: Array<[string, unknown]> = [
  ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
  ['refused on every address (AggregateError)', Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''), { code: 'ECONNREFUSED' })],
  ['a dropped connection', new Error('Connection terminated unexpectedly')],
  ['the connect time limit', new Error('timeout exceeded when trying to connect')],
  ['the answer time limit', new Error('Query read timeout')],
  ['statement_timeout, wrapped by TypeORM', Object.assign(new Error('canceling statement due to statement timeout'), { driverError: withCode('canceling statement due to statement timeout', '57014') })],
  ['the server shutting down', withCode('terminating connection due to administrator command', '57P01')],
  ['the server starting', withCode('the database system is starting up', '57P03')],
  ['too many connections', withCode('sorry, too many clients already', '53300')],
  ['a SQLite write lock held past the busy timeout', withCode('SQLITE_BUSY: database is locked', 'SQLITE_BUSY')],
];

test.each(databaseOutages)('a database outage (%s) is 503 temporarily_unavailable with Retry-After, a database outage', (_name, err) => {
  expect(data(err)).toEqual({ code: 'temporarily_unavailable', status: 503, headers: { 'Retry-After': '5' } });
  expect(outageOf(err)).toBe('database');
});

test.each([
  ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
  ['a syntax error (a bug)', withCode('syntax error at or near "SELEC"', '42601')],
  ['a plain bug', new TypeError('cannot read properties of undefined')],
])('%s is no outage: a failure of ours (500)', (_name, err) => {
  expect(protocolErrorOf(err)).toBeNull();
  expect(outageOf(err)).toBeNull();
});

test('a full hashing queue is 503 temporarily_unavailable with its Retry-After, no alarm', () => {
  expect(data(new HashingBusyError())).toEqual({ code: 'temporarily_unavailable', status: 503, headers: { 'Retry-After': '1' } });
  expect(alarmOf(new HashingBusyError())).toBeNull();
});

test('a stored secret that does not open is 503 and an alarm for the operator', () => {
  const err = new SealedSecretError('sealed secret does not open with this key');
  expect(data(err)).toMatchObject({ code: 'temporarily_unavailable', status: 503 });
  expect(alarmOf(err)).toContain('does not open');
});

test('a lockout is 429 too_many_attempts with its wait', () => {
  expect(data(new LockedOutError(42, 300))).toEqual({ code: 'too_many_attempts', status: 429, headers: { 'Retry-After': '42' } });
});

test.each([
  ['an infinite wait (a counter without expiry)', Number.POSITIVE_INFINITY, '300'],
  ['no wait at all', 0, '300'],
  ['a fractional wait', 2.2, '3'],
])('a lockout promises a finite, positive Retry-After: %s', (_label, wait, header) => {
  expect(protocolErrorOf(new LockedOutError(wait, 300))?.headers['Retry-After']).toBe(header);
});

test('Retry-After is whole seconds, at least 1, and always a number', () => {
  expect([retryAfter(0.2), retryAfter(7), retryAfter(Number.NaN), retryAfter(Number.POSITIVE_INFINITY)]).toEqual([
    { 'Retry-After': '1' },
    { 'Retry-After': '7' },
    { 'Retry-After': '1' },
    { 'Retry-After': '1' },
  ]);
});

test('malformed percent-encoding is one class, a 400 invalid_request, from every decoder', () => {
  const fromForm = (() => {
    try {
      parseForm('a=%zz', 'query string');
    } catch (err) {
      return err;
    }
  })();
  expect(fromForm).toBeInstanceOf(MalformedEncodingError);
  expect(() => percentDecode('%E0%A4%A')).toThrow(MalformedEncodingError);
  expect(data(fromForm)).toEqual({ code: 'invalid_request', status: 400, headers: {} });
  expect((fromForm as ProtocolError).description).toBe('The query string has a malformed percent-encoding.');
});

test("a framework's 4xx gets a fixed sentence of ours; a 5xx or anything else is no refusal", () => {
  expect(protocolErrorOf(Object.assign(new Error('secret detail'), { status: 413, expose: true }))).toMatchObject({
    code: 'request_too_large',
    status: 413,
    description: 'The request body is larger than this gateway accepts.',
  });
  expect(protocolErrorOf(Object.assign(new Error('x'), { status: 502 }))).toBeNull();
  expect(protocolErrorOf(new TypeError('bug'))).toBeNull();
});

test('a failure of ours is 500 server_error quoting only the request id', () => {
  const err = internalError('req-1');
  expect([err.code, err.status, err.description, err.parameters]).toEqual(['server_error', 500, 'Internal error.', { request_id: 'req-1' }]);
});

test('the access log calls a 503 unavailable, another 5xx an error, the rest rejected', () => {
  expect(outcomeOf(new ProtocolError('x', 'y', { status: 503 }))).toBe('unavailable');
  expect(outcomeOf(new ProtocolError('x', 'y', { status: 502 }))).toBe('error');
  expect(outcomeOf(new ProtocolError('x', 'y', { status: 429 }))).toBe('rejected');
});

test('a protocol error is data: frozen headers, parameters and challenges, no way to answer by itself', () => {
  const err = new ProtocolError('invalid_request', 'Bad.', { headers: { Allow: 'POST' } });
  expect(Object.isFrozen(err.headers) && Object.isFrozen(err.parameters) && Object.isFrozen(err.challenges)).toBe(true);
  expect('respond' in err).toBe(false);
  expect([err.status, err.message, err.name]).toEqual([400, 'Bad.', 'ProtocolError']);
});
