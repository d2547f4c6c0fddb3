import { AuthorizationError } from '../../src/oauth2/authorize/errors';
import { freshSignInNeeded, parseLoginHint, parseMaxAge, parsePrompt, staleSignInFor } from '../../src/oauth2/authorize/openid-request';

// OpenID Connect Core section 3.1.2.1's prompt, max_age and login_hint as pure decisions: what
// each value means, and when the browser's sign-in is too old for the request (injected time).

const NOW = Date.UTC(2031, 5, 1);
const signedIn = (secondsAgo: number) => ({ authTime: NOW - secondsAgo * 1000, signInId: 'sign-in-1' });
const noPrompt = { none: false, login: false, consent: false };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AuthorizationError) return err.error;
    throw err;
  }
  throw new Error('expected an AuthorizationError');
}

describe('prompt', () => {
  test('absent or empty is no prompt', () => {
    expect(parsePrompt(undefined)).toEqual(noPrompt);
    expect(parsePrompt('  ')).toEqual(noPrompt);
  });

  test('login and consent combine', () => {
    expect(parsePrompt('consent login')).toEqual({ none: false, login: true, consent: true });
  });

  test('none stands alone', () => {
    expect(parsePrompt('none')).toEqual({ none: true, login: false, consent: false });
    expect(codeOf(() => parsePrompt('none consent'))).toBe('invalid_request');
  });

  test.each(['select_account', 'login bogus', 'NONE'])('an unknown value (%s) is invalid_request', (value) => {
    expect(codeOf(() => parsePrompt(value))).toBe('invalid_request');
  });
});

describe('max_age', () => {
  test('a whole number of seconds, zero included', () => {
    expect(parseMaxAge(undefined)).toBeNull();
    expect(parseMaxAge('0')).toBe(0);
    expect(parseMaxAge('3600')).toBe(3600);
  });

  test.each(['-1', '1.5', '1e3', ' 60', 'sixty', '12345678901'])('%s is invalid_request', (value) => {
    expect(codeOf(() => parseMaxAge(value))).toBe('invalid_request');
  });
});

describe('login_hint', () => {
  test('kept as the username to pre-fill, trimmed', () => {
    expect(parseLoginHint(' alice ')).toBe('alice');
  });

  test('absent, blank or with control characters: no hint, and no error', () => {
    expect([parseLoginHint(undefined), parseLoginHint('   '), parseLoginHint('al\nice')]).toEqual([null, null, null]);
  });
});

describe('whether a fresh sign-in is needed', () => {
  test('no prompt and no max_age: the current sign-in is good', () => {
    expect(freshSignInNeeded({ prompt: noPrompt, maxAge: null }, signedIn(86_000), NOW)).toBe(false);
  });

  test('prompt=login: always', () => {
    expect(freshSignInNeeded({ prompt: { ...noPrompt, login: true }, maxAge: null }, signedIn(0), NOW)).toBe(true);
  });

  test('max_age=0: always, even for a sign-in this very millisecond', () => {
    expect(freshSignInNeeded({ prompt: noPrompt, maxAge: 0 }, signedIn(0), NOW)).toBe(true);
  });

  test('max_age: only a sign-in older than that many seconds', () => {
    expect(freshSignInNeeded({ prompt: noPrompt, maxAge: 60 }, signedIn(60), NOW)).toBe(false);
    expect(freshSignInNeeded({ prompt: noPrompt, maxAge: 60 }, signedIn(61), NOW)).toBe(true);
  });

  test('signed out: nothing to set aside', () => {
    expect(freshSignInNeeded({ prompt: { ...noPrompt, login: true }, maxAge: 0 }, null, NOW)).toBe(false);
  });
});

describe('the sign-in set aside', () => {
  test('the current one when a fresh sign-in is needed', () => {
    expect(staleSignInFor({ prompt: noPrompt, maxAge: 10 }, signedIn(11), NOW)).toBe('sign-in-1');
  });

  test('prompt=login in a signed-out browser: any sign-in counts (null)', () => {
    expect(staleSignInFor({ prompt: { ...noPrompt, login: true }, maxAge: null }, null, NOW)).toBeNull();
  });

  test('none when the current sign-in is good enough', () => {
    expect(staleSignInFor({ prompt: noPrompt, maxAge: 600 }, signedIn(30), NOW)).toBeUndefined();
    expect(staleSignInFor({ prompt: noPrompt, maxAge: 0 }, null, NOW)).toBeUndefined();
  });
});
