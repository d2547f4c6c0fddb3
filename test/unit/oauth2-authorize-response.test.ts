import { AuthorizationError } from '../../src/oauth2/authorize/errors';
import { codeResponse, errorResponse, implicitResponse, responseModeFor, responseUri } from '../../src/oauth2/authorize/response';

// Authorization responses (RFC 6749 4.1.2, 4.2.2, 4.1.2.1) with iss (RFC 9207): query for code,
// fragment for token, state unchanged, the registered URI's own query kept.

const issuer = 'https://gw.example';
const at = (redirectUri: string, state: string | null = 'xyz') => ({ redirectUri, state, issuer });

test('a code goes in the query with state and iss', () => {
  const url = new URL(codeResponse(at('https://app.example/cb'), 'the-code'));
  expect(url.origin + url.pathname).toBe('https://app.example/cb');
  expect([...url.searchParams]).toEqual([
    ['code', 'the-code'],
    ['state', 'xyz'],
    ['iss', issuer],
  ]);
  expect(url.hash).toBe('');
});

test('the registered URI keeps its own query parameters', () => {
  const url = new URL(codeResponse(at('https://app.example/cb?tab=2'), 'c'));
  expect(url.searchParams.get('tab')).toBe('2');
  expect(url.searchParams.get('code')).toBe('c');
});

test('a registered URI ending in ? gets no second separator', () => {
  expect(responseUri('https://app.example/cb?', 'query', [['a', '1']])).toBe('https://app.example/cb?a=1');
});

test('state comes back unchanged, whatever it holds', () => {
  const state = 'a b&c=d/é#?+%';
  expect(new URL(codeResponse(at('https://app.example/cb', state), 'c')).searchParams.get('state')).toBe(state);
});

test('no state parameter when the request had none', () => {
  expect(new URL(codeResponse(at('https://app.example/cb', null), 'c')).searchParams.has('state')).toBe(false);
});

test('an implicit token goes only in the fragment, without a refresh token', () => {
  const url = new URL(implicitResponse(at('https://spa.example/'), { accessToken: 'tok', expiresIn: 3600, scope: ['read', 'write'] }));
  expect(url.search).toBe('');
  const fragment = new URLSearchParams(url.hash.slice(1));
  expect(Object.fromEntries(fragment)).toEqual({
    access_token: 'tok',
    token_type: 'Bearer',
    expires_in: '3600',
    scope: 'read write',
    state: 'xyz',
    iss: issuer,
  });
});

test('an implicit token without scopes carries no scope parameter', () => {
  const url = new URL(implicitResponse(at('https://spa.example/'), { accessToken: 'tok', expiresIn: 60, scope: [] }));
  expect(new URLSearchParams(url.hash.slice(1)).has('scope')).toBe(false);
});

test('an error for a code request goes in the query with description, state and iss', () => {
  const url = new URL(errorResponse(at('https://app.example/cb'), 'query', new AuthorizationError('invalid_scope', 'Too much.')));
  expect(Object.fromEntries(url.searchParams)).toEqual({ error: 'invalid_scope', error_description: 'Too much.', state: 'xyz', iss: issuer });
});

test('an error for a token request goes in the fragment', () => {
  const url = new URL(errorResponse(at('https://spa.example/'), 'fragment', new AuthorizationError('access_denied', 'No.')));
  expect(url.search).toBe('');
  expect(new URLSearchParams(url.hash.slice(1)).get('error')).toBe('access_denied');
});

test('the response mode follows the response type; unknown means query', () => {
  expect(responseModeFor('code')).toBe('query');
  expect(responseModeFor('token')).toBe('fragment');
  expect(responseModeFor(null)).toBe('query');
});
