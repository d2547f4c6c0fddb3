import { renderOAuth2Json } from '../../src/http/render/oauth2-json';
import { parseClientCredentials } from '../../src/oauth2/client-auth';
import { OAuth2Error } from '../../src/oauth2/errors';
import { TokenParams } from '../../src/oauth2/params';

const realm = 'test-realm';
const params = (values: Record<string, string> = {}) => TokenParams.fromPairs(Object.entries(values));
const basic = (raw: string) => 'Basic ' + Buffer.from(raw, 'utf8').toString('base64');

function refusal(fn: () => unknown): OAuth2Error {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuth2Error) return err;
    throw err;
  }
  throw new Error('expected an OAuth2Error');
}

test('Basic credentials are form-decoded after base64 (RFC 6749 appendix B)', () => {
  expect(parseClientCredentials(basic('my%3Aclient:s3cr%2Bt+x'), params(), realm)).toEqual({
    clientId: 'my:client',
    secret: 's3cr+t x',
    method: 'client_secret_basic',
  });
});

test('the Basic scheme name is case-insensitive', () => {
  expect(parseClientCredentials('basic ' + Buffer.from('a:b').toString('base64'), params(), realm)?.clientId).toBe('a');
});

test('Basic with an empty secret is a public client naming itself', () => {
  expect(parseClientCredentials(basic('QuickAccess:'), params(), realm)).toEqual({ clientId: 'QuickAccess', secret: null, method: 'none' });
});

test('client_secret in the body is client_secret_post', () => {
  expect(parseClientCredentials(undefined, params({ client_id: 'c', client_secret: 's' }), realm)).toEqual({
    clientId: 'c',
    secret: 's',
    method: 'client_secret_post',
  });
});

test('client_id alone is a public client', () => {
  expect(parseClientCredentials(undefined, params({ client_id: 'QuickAccess' }), realm)).toEqual({
    clientId: 'QuickAccess',
    secret: null,
    method: 'none',
  });
});

test('no credentials at all is null (the caller answers invalid_client)', () => {
  expect(parseClientCredentials(undefined, params(), realm)).toBeNull();
});

test('credentials both in Basic and in the body are invalid_request', () => {
  const err = refusal(() => parseClientCredentials(basic('c:s'), params({ client_secret: 's' }), realm));
  expect([err.error, err.status]).toEqual(['invalid_request', 400]);
});

test('a body client_id naming another client than Basic is invalid_request', () => {
  expect(refusal(() => parseClientCredentials(basic('c:s'), params({ client_id: 'other' }), realm)).error).toBe('invalid_request');
});

test('a body client_id equal to the Basic one is tolerated', () => {
  expect(parseClientCredentials(basic('c:s'), params({ client_id: 'c' }), realm)?.method).toBe('client_secret_basic');
});

test('client_secret without client_id is invalid_request', () => {
  expect(refusal(() => parseClientCredentials(undefined, params({ client_secret: 's' }), realm)).error).toBe('invalid_request');
});

test.each([
  ['another scheme', 'Bearer abc'],
  ['no colon', basic('justanid')],
  ['not base64', 'Basic ***'],
  ['a bad percent-encoding', basic('c%ZZ:s')],
  ['an empty id', basic(':secret')],
  ['bytes that are not UTF-8', 'Basic ' + Buffer.from([0xff, 0x3a, 0x61]).toString('base64')],
])('a malformed Authorization header (%s) is 401 invalid_client with a Basic challenge', (_label, header) => {
  const err = refusal(() => parseClientCredentials(header, params(), realm));
  expect([err.error, err.status, renderOAuth2Json(err).headers['WWW-Authenticate']]).toEqual(['invalid_client', 401, 'Basic realm="test-realm"']);
});
