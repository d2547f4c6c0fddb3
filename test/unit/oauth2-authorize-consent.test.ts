import { consentCovers } from '../../src/oauth2/consent';
import { codeLifetime } from '../../src/oauth2/authorize/grant-response';

// Remembered consent (per user and client) and the authorization code lifetime policy.

test('no remembered consent covers nothing, not even an empty request', () => {
  expect(consentCovers(null, [])).toBe(false);
});

test('a remembered grant covers the same scopes and fewer', () => {
  const consent = { scopes: ['read', 'write'] };
  expect(consentCovers(consent, ['read', 'write'])).toBe(true);
  expect(consentCovers(consent, ['write'])).toBe(true);
  expect(consentCovers(consent, [])).toBe(true);
});

test('a remembered grant does not cover a scope it lacks', () => {
  expect(consentCovers({ scopes: ['read'] }, ['read', 'write'])).toBe(false);
});

test('a code lives as configured unless the client says otherwise', () => {
  expect(codeLifetime({ codeTtl: null }, 300)).toBe(300);
  expect(codeLifetime({ codeTtl: 60 }, 300)).toBe(60);
});

test('a code never lives longer than ten minutes', () => {
  expect(codeLifetime({ codeTtl: 3600 }, 300)).toBe(600);
  expect(codeLifetime({ codeTtl: null }, 900)).toBe(600);
});
