import { isWellFormedChallenge, isWellFormedVerifier, s256Challenge, verifierMatches } from '../../src/oauth2/pkce';

// RFC 7636: the appendix B vector, the verifier syntax of section 4.1 and the check of section 4.6.

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

test('S256 of the RFC 7636 appendix B verifier is the appendix B challenge', () => {
  expect(s256Challenge(verifier)).toBe(challenge);
});

test('the appendix B verifier matches its S256 challenge', () => {
  expect(verifierMatches(verifier, challenge, 'S256')).toBe(true);
});

test('another verifier does not match the S256 challenge', () => {
  expect(verifierMatches(verifier.slice(0, -1) + 'Y', challenge, 'S256')).toBe(false);
});

test('with plain the verifier must equal the challenge', () => {
  expect(verifierMatches(verifier, verifier, 'plain')).toBe(true);
  expect(verifierMatches(verifier, challenge, 'plain')).toBe(false);
});

test('the S256 challenge itself is not accepted as the verifier', () => {
  expect(verifierMatches(challenge, challenge, 'S256')).toBe(false);
});

test('a verifier must be 43 to 128 characters', () => {
  expect(isWellFormedVerifier('a'.repeat(42))).toBe(false);
  expect(isWellFormedVerifier('a'.repeat(43))).toBe(true);
  expect(isWellFormedVerifier('a'.repeat(128))).toBe(true);
  expect(isWellFormedVerifier('a'.repeat(129))).toBe(false);
});

test('a verifier holds only unreserved characters', () => {
  expect(isWellFormedVerifier('A-z0._~'.repeat(7))).toBe(true);
  expect(isWellFormedVerifier('a'.repeat(42) + '+')).toBe(false);
  expect(isWellFormedVerifier('a'.repeat(42) + '=')).toBe(false);
  expect(isWellFormedVerifier('a'.repeat(42) + ' ')).toBe(false);
});

test('a malformed verifier never matches, even a plain challenge equal to it', () => {
  const short = 'short';
  expect(verifierMatches(short, short, 'plain')).toBe(false);
});

test('a challenge follows the same syntax', () => {
  expect(isWellFormedChallenge(challenge)).toBe(true);
  expect(isWellFormedChallenge('E9Melhoa2Ow')).toBe(false);
  expect(isWellFormedChallenge(challenge + '/')).toBe(false);
});
