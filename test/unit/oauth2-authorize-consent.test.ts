import { consentCovers, consentIsRemembered, rememberedConsentApplies } from '../../src/oauth2/consent';
import { codeLifetime } from '../../src/oauth2/authorization-codes';

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

test('remembered consent stands in for the user only for a confidential client asking for a code', () => {
  const confidential = { secretHash: 'scrypt$...' };
  const isPublic = { secretHash: null };
  expect(rememberedConsentApplies(confidential, 'code')).toBe(true);
  expect(rememberedConsentApplies(confidential, 'token')).toBe(false);
  expect(rememberedConsentApplies(isPublic, 'code')).toBe(false);
  expect(rememberedConsentApplies(isPublic, 'token')).toBe(false);
});

test('consent is remembered only for confidential clients', () => {
  expect([consentIsRemembered({ secretHash: 'scrypt$...' }), consentIsRemembered({ secretHash: null })]).toEqual([true, false]);
});

test('a code lives as configured unless the client says otherwise', () => {
  expect(codeLifetime({ codeTtl: null }, 300)).toBe(300);
  expect(codeLifetime({ codeTtl: 60 }, 300)).toBe(60);
});

test('a code never lives longer than ten minutes', () => {
  expect(codeLifetime({ codeTtl: 3600 }, 300)).toBe(600);
  expect(codeLifetime({ codeTtl: null }, 900)).toBe(600);
});
