import { OAuth2Error } from '../../src/oauth2/errors';
import { formatScope, grantScope, hasScopes, narrowScope, parseScope, scopeList } from '../../src/oauth2/scope';

describe('parseScope', () => {
  test('absent is null', () => expect(parseScope(undefined)).toBeNull());
  test('splits on spaces and drops repeats', () => expect(parseScope('read  write read')).toEqual(['read', 'write']));
  test('characters outside scope-token are invalid_scope', () => {
    expect(() => parseScope('read "write"')).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
  });
});

describe('grantScope', () => {
  test('no requested scope gets every registered scope', () => expect(grantScope(null, ['a', 'b'])).toEqual(['a', 'b']));
  test('a subset is granted as asked', () => expect(grantScope(['b'], ['a', 'b'])).toEqual(['b']));
  test('a scope the client is not registered for is invalid_scope', () => {
    expect(() => grantScope(['a', 'c'], ['a', 'b'])).toThrow(OAuth2Error);
  });
  test('a client registered without scopes can hold only tokens without scope', () => {
    expect(grantScope(null, [])).toEqual([]);
    expect(() => grantScope(['a'], [])).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
  });
});

describe('narrowScope', () => {
  test('keeps the original when none is asked', () => expect(narrowScope(null, ['a', 'b'])).toEqual(['a', 'b']));
  test('may narrow', () => expect(narrowScope(['a'], ['a', 'b'])).toEqual(['a']));
  test('may never widen', () => expect(() => narrowScope(['a', 'c'], ['a', 'b'])).toThrow(expect.objectContaining({ error: 'invalid_scope' })));
});

test('formatScope and scopeList round-trip, the empty scope included', () => {
  expect(scopeList(formatScope(['a', 'b']))).toEqual(['a', 'b']);
  expect(scopeList(formatScope([]))).toEqual([]);
});

test('hasScopes needs every required scope', () => {
  expect(hasScopes(['a', 'b'], ['a'])).toBe(true);
  expect(hasScopes(['a'], ['a', 'b'])).toBe(false);
});
