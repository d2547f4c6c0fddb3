import { isSafeContinuePath } from '../../src/pages/continue-path';

describe('continue path (open-redirect guard)', () => {
  test.each([
    '/oauth2/authorize?client_id=abc&state=x%2Fy',
    '/oauth/user_auth?oauth_token=abc',
    '/device',
    '/',
  ])('accepts the same-origin path %s', (path) => {
    expect(isSafeContinuePath(path)).toBe(true);
  });

  test.each([
    ['protocol-relative', '//evil.com'],
    ['protocol-relative with path', '//evil.com/oauth2/authorize'],
    ['backslash after the slash', '/\\evil.com'],
    ['backslash later in the path', '/ok\\..\\evil'],
    ['absolute https URL', 'https://evil.com'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['data: URL', 'data:text/html,hi'],
    ['relative path', 'oauth2/authorize'],
    ['tab that browsers strip', '/\t/evil.com'],
    ['newline that browsers strip', '/\n/evil.com'],
    ['space', '/ /evil.com'],
    ['non-ASCII character', '/caf\u00e9'],
    ['empty string', ''],
    ['overlong path', '/' + 'a'.repeat(16 * 1024)],
  ])('refuses a %s', (_name, path) => {
    expect(isSafeContinuePath(path)).toBe(false);
  });

  test('refuses values that are not strings', () => {
    expect(isSafeContinuePath(undefined)).toBe(false);
    expect(isSafeContinuePath(['/ok'])).toBe(false);
  });
});
